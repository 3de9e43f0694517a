//! The partner's support contact, where an outcome or a broken link asks the customer to
//! contact support. Shows nothing when the partner configured none (the page's own text then
//! names "your provider's customer service").

use leptos::prelude::*;

use crate::texts::tr;

use crate::brand::brand_text;

/// The support contact's email, phone and help page, as configured.
#[component]
pub fn SupportContact() -> impl IntoView {
    let email = brand_text("support_email");
    let phone = brand_text("support_phone");
    let url = brand_text("support_url");
    let any = email.is_some() || phone.is_some() || url.is_some();
    any.then(|| {
        view! {
            <h2 class="bk-heading-m">{tr(|k| k.support().heading().inner())}</h2>
            <ul class="bk-list bk-support">
                {email.map(|email| view! {
                    <li>{tr(|k| k.support().email().inner())}": "<a class="bk-link" href=format!("mailto:{email}")>{email.clone()}</a></li>
                })}
                {phone.map(|phone| {
                    let dial: String = phone.chars().filter(|c| *c == '+' || c.is_ascii_digit()).collect();
                    view! { <li>{tr(|k| k.support().phone().inner())}": "<a class="bk-link" href=format!("tel:{dial}")>{phone.clone()}</a></li> }
                })}
                {url.map(|url| view! { <li><a class="bk-link" href=url>{tr(|k| k.support().website().inner())}</a></li> })}
            </ul>
        }
    })
}
