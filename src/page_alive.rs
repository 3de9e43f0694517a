//! Whether the page that started some work is still shown, and the one abort signal of its
//! requests. A [`PageAlive`] is made while a page is set up and belongs to the page's reactive
//! owner: when the page is cleaned up (the customer went on, or back), its marker is disposed
//! and every request still in flight with its signal is aborted, so no answer lands on a page
//! that is gone and the browser stops waiting for it.

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use web_sys::{AbortController, AbortSignal};

/// A page's liveness and its requests' abort signal; copied into the page's tasks.
#[derive(Debug, Clone, Copy)]
pub struct PageAlive {
    marker: StoredValue<()>,
    requests: StoredValue<Option<AbortSignal>, LocalStorage>,
}

impl PageAlive {
    /// A marker owned by the current reactive owner (the page being set up), with a request
    /// signal that is aborted when that owner is cleaned up.
    pub fn new() -> PageAlive {
        let controller = AbortController::new().ok();
        let signal = controller.as_ref().map(AbortController::signal);
        if let Some(controller) = controller {
            let controller = SendWrapper::new(controller);
            on_cleanup(move || controller.abort());
        }
        PageAlive {
            marker: StoredValue::new(()),
            requests: StoredValue::new_local(signal),
        }
    }

    /// The page is still shown.
    pub fn is_alive(self) -> bool {
        !self.marker.is_disposed()
    }

    /// The signal to send the page's requests with (none once the page is gone, or where the
    /// browser has no `AbortController`).
    pub fn abort_signal(self) -> Option<AbortSignal> {
        self.requests.try_get_value().flatten()
    }
}

impl Default for PageAlive {
    fn default() -> PageAlive {
        PageAlive::new()
    }
}
