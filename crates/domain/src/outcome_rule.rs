//! The one rule for what Solaris' statuses mean for the customer: which session and
//! identification statuses are final, and which outcome (category and Appendix III code) they
//! end in. The backend's outcome reads and its webhook receiver both decide with it.

use crate::error_code::{ErrorCode, OutcomeCategory};
use crate::status::{IdentificationStatus, SessionStatus};

/// A final outcome: what the customer is shown and what the partner learns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The next step.
    pub category: OutcomeCategory,
    /// The Appendix III code of a failure.
    pub error_code: Option<ErrorCode>,
}

impl Verdict {
    /// Success.
    pub fn success() -> Verdict {
        Verdict {
            category: OutcomeCategory::Success,
            error_code: None,
        }
    }

    /// The verdict of a failure code.
    pub fn failure(code: ErrorCode) -> Verdict {
        Verdict {
            category: code.category(),
            error_code: Some(code),
        }
    }
}

/// Where the customer is when the rule is applied. Inside Solaris' webview a customer whose
/// bank account could not be used can try another IBAN in the same session, so such a failure
/// settles the session only once the customer is back with us.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomerPlace {
    /// Possibly still in the webview (a webhook arrived).
    MayBeInWebview,
    /// Back with us (the outcome page asks).
    BackWithUs,
}

/// One identification as the rule needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentificationFacts {
    /// `…cidt`.
    pub id: String,
    /// Its status.
    pub status: IdentificationStatus,
    /// Its failure reason, as Solaris spells it (any case).
    pub failure_reason: Option<String>,
    /// When it became final (RFC 3339), to tell the latest of several failures.
    pub completed_at: Option<String>,
}

/// The outcome of one identification, once it is final.
pub fn identification_verdict(
    status: &IdentificationStatus,
    failure_reason: Option<&str>,
) -> Option<Verdict> {
    if !status.is_final() {
        return None;
    }
    if *status == IdentificationStatus::Successful {
        return Some(Verdict::success());
    }
    let code = match (failure_reason, status) {
        (Some(reason), _) if !reason.trim().is_empty() => ErrorCode::parse(reason),
        (_, IdentificationStatus::Expired) => ErrorCode::Expired,
        _ => ErrorCode::GenericError,
    };
    Some(Verdict::failure(code))
}

/// The outcome of a session, from its status and the identifications made since it opened
/// (in any order; `own_identification` is the session's own one when Solaris names it).
/// `None` while the customer can still finish.
pub fn session_verdict(
    session: &SessionStatus,
    own_identification: Option<&str>,
    identifications: &[IdentificationFacts],
    place: CustomerPlace,
) -> Option<Verdict> {
    // A success counts whenever it happened, even after the session expired.
    if *session == SessionStatus::Successful
        || identifications
            .iter()
            .any(|facts| facts.status == IdentificationStatus::Successful)
    {
        return Some(Verdict::success());
    }
    let named = own_identification
        .and_then(|id| identifications.iter().find(|facts| facts.id == id))
        .map(std::slice::from_ref);
    let considered = named.unwrap_or(identifications);
    // A failure that closes Bankident (a stop, the method not available) ends the session
    // whatever else is still running in it.
    if let Some(closing) = latest_verdict(considered, |verdict| closes_bankident(verdict.category))
    {
        return Some(closing);
    }
    let session_over = session.is_final();
    let still_running = considered.iter().any(|facts| !facts.status.is_final());
    let latest_failure = latest_verdict(considered, |_| true);
    if session_over {
        return Some(match (still_running, latest_failure) {
            (false, Some(verdict)) => verdict,
            _ if *session == SessionStatus::Expired => Verdict::failure(ErrorCode::Expired),
            _ => Verdict::failure(ErrorCode::GenericError),
        });
    }
    if still_running {
        return None;
    }
    let verdict = latest_failure?;
    let can_retry_in_session = verdict.category == OutcomeCategory::RetryWithAnotherIban;
    (place == CustomerPlace::BackWithUs || !can_retry_in_session).then_some(verdict)
}

/// The identification a session's verdict comes from: the successful one, or the latest final
/// one with that very verdict. `None` when no identification decided it (an expired session).
pub fn deciding_identification<'a>(
    verdict: &Verdict,
    identifications: &'a [IdentificationFacts],
) -> Option<&'a str> {
    if verdict.category == OutcomeCategory::Success {
        return identifications
            .iter()
            .find(|facts| facts.status == IdentificationStatus::Successful)
            .map(|facts| facts.id.as_str());
    }
    identifications
        .iter()
        .enumerate()
        .filter(|(_, facts)| {
            identification_verdict(&facts.status, facts.failure_reason.as_deref()).as_ref()
                == Some(verdict)
        })
        .max_by_key(|(index, facts)| (facts.completed_at.as_deref(), *index))
        .map(|(_, facts)| facts.id.as_str())
}

/// The verdict of the latest final identification whose verdict `wanted` accepts (latest by
/// `completed_at`, then by list position).
fn latest_verdict(
    identifications: &[IdentificationFacts],
    wanted: impl Fn(&Verdict) -> bool,
) -> Option<Verdict> {
    identifications
        .iter()
        .enumerate()
        .filter_map(|(index, facts)| {
            identification_verdict(&facts.status, facts.failure_reason.as_deref())
                .filter(|verdict| wanted(verdict))
                .map(|verdict| ((facts.completed_at.as_deref(), index), verdict))
        })
        .max_by(|(a, _), (b, _)| a.cmp(b))
        .map(|(_, verdict)| verdict)
}

/// Whether an outcome closes Bankident for this customer: no new session may be opened. Only
/// "another IBAN", "start again", "fix data" and "contact support" leave the way open.
pub fn closes_bankident(category: OutcomeCategory) -> bool {
    matches!(
        category,
        OutcomeCategory::Success
            | OutcomeCategory::AlreadyIdentified
            | OutcomeCategory::Stop
            | OutcomeCategory::MethodNotAvailable
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(
        id: &str,
        status: &str,
        reason: Option<&str>,
        at: Option<&str>,
    ) -> IdentificationFacts {
        IdentificationFacts {
            id: id.into(),
            status: IdentificationStatus::parse(status),
            failure_reason: reason.map(str::to_string),
            completed_at: at.map(str::to_string),
        }
    }

    const BACK: CustomerPlace = CustomerPlace::BackWithUs;
    const AWAY: CustomerPlace = CustomerPlace::MayBeInWebview;

    #[test]
    fn sessions_without_identifications() {
        assert_eq!(
            session_verdict(&SessionStatus::Created, None, &[], BACK),
            None
        );
        assert_eq!(
            session_verdict(&SessionStatus::Successful, None, &[], BACK),
            Some(Verdict::success())
        );
        assert_eq!(
            session_verdict(&SessionStatus::Expired, None, &[], BACK),
            Some(Verdict::failure(ErrorCode::Expired))
        );
    }

    #[test]
    fn the_deciding_identification_is_the_one_the_verdict_comes_from() {
        let list = [
            facts(
                "i1",
                "failed",
                Some("joint_account"),
                Some("2026-01-01T10:05:00Z"),
            ),
            facts(
                "i2",
                "failed",
                Some("joint_account"),
                Some("2026-01-01T10:00:00Z"),
            ),
            facts("i3", "pending", None, None),
        ];
        let verdict = session_verdict(&SessionStatus::Expired, None, &list[..2], BACK).unwrap();
        assert_eq!(deciding_identification(&verdict, &list), Some("i1"));
        let with_success = [list[0].clone(), facts("i4", "successful", None, None)];
        assert_eq!(
            deciding_identification(&Verdict::success(), &with_success),
            Some("i4")
        );
        assert_eq!(
            deciding_identification(&Verdict::failure(ErrorCode::Expired), &list),
            None
        );
    }

    #[test]
    fn a_success_after_the_session_expired_still_counts() {
        let done = [facts(
            "i1",
            "successful",
            None,
            Some("2026-01-01T10:00:00Z"),
        )];
        assert_eq!(
            session_verdict(&SessionStatus::Expired, None, &done, BACK),
            Some(Verdict::success())
        );
    }

    #[test]
    fn the_latest_failure_decides_whatever_the_list_order() {
        let joint = facts(
            "i1",
            "failed",
            Some("JOINT_ACCOUNT"),
            Some("2026-01-01T10:05:00Z"),
        );
        let stop = facts(
            "i2",
            "failed",
            Some("iban_usage_limit_exceeded"),
            Some("2026-01-01T10:09:00Z"),
        );
        for list in [[joint.clone(), stop.clone()], [stop.clone(), joint.clone()]] {
            assert_eq!(
                session_verdict(&SessionStatus::Created, None, &list, BACK),
                Some(Verdict::failure(ErrorCode::IbanUsageLimitExceeded))
            );
        }
        assert_eq!(
            session_verdict(&SessionStatus::Created, Some("i1"), &[stop, joint], BACK),
            Some(Verdict::failure(ErrorCode::JointAccount)),
            "the session's own identification when Solaris names it"
        );
    }

    #[test]
    fn a_retryable_failure_waits_while_the_customer_may_still_be_in_the_webview() {
        let joint = [facts("i1", "failed", Some("joint_account"), None)];
        assert_eq!(
            session_verdict(&SessionStatus::Created, None, &joint, AWAY),
            None
        );
        assert_eq!(
            session_verdict(&SessionStatus::Created, None, &joint, BACK),
            Some(Verdict::failure(ErrorCode::JointAccount))
        );
        let dependency = [facts("i1", "failed", Some("DEPENDENCY_ERROR"), None)];
        assert_eq!(
            session_verdict(&SessionStatus::Created, None, &dependency, AWAY),
            Some(Verdict::failure(ErrorCode::DependencyError))
        );
    }

    #[test]
    fn running_identifications_keep_the_session_open() {
        let list = [
            facts(
                "i1",
                "failed",
                Some("JOINT_ACCOUNT"),
                Some("2026-01-01T10:05:00Z"),
            ),
            facts("i2", "confirmation_required", None, None),
        ];
        assert_eq!(
            session_verdict(&SessionStatus::Created, None, &list, BACK),
            None
        );
        assert_eq!(
            session_verdict(&SessionStatus::Expired, None, &list, BACK),
            Some(Verdict::failure(ErrorCode::Expired))
        );
    }

    #[test]
    fn a_stop_ends_the_session_even_with_abandoned_attempts_still_running() {
        let list = [
            facts("i1", "pending", None, None),
            facts(
                "i2",
                "failed",
                Some("IDENTIFICATION_ATTEMPTS_EXCEEDED"),
                None,
            ),
        ];
        for place in [AWAY, BACK] {
            assert_eq!(
                session_verdict(&SessionStatus::Created, None, &list, place),
                Some(Verdict::failure(ErrorCode::IdentificationAttemptsExceeded))
            );
        }
    }

    #[test]
    fn final_identifications_without_a_reason() {
        assert_eq!(
            identification_verdict(&IdentificationStatus::Expired, None),
            Some(Verdict::failure(ErrorCode::Expired))
        );
        assert_eq!(
            identification_verdict(&IdentificationStatus::Aborted, None),
            Some(Verdict::failure(ErrorCode::GenericError))
        );
        assert_eq!(
            identification_verdict(&IdentificationStatus::Confirmed, None),
            None
        );
    }

    #[test]
    fn which_outcomes_close_bankident() {
        let closed: Vec<_> = OutcomeCategory::ALL
            .into_iter()
            .filter(|category| closes_bankident(*category))
            .collect();
        assert_eq!(
            closed,
            [
                OutcomeCategory::Success,
                OutcomeCategory::MethodNotAvailable,
                OutcomeCategory::Stop,
                OutcomeCategory::AlreadyIdentified,
            ]
        );
    }
}
