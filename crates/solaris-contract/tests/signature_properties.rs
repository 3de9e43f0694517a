//! The webhook signature check, on many generated secrets and bodies: a body signed with the
//! secret passes; any changed byte, a different secret, or a mangled header fails; no header
//! makes it panic.

use proptest::prelude::*;
use solaris_contract::{signature, signature_matches};

proptest! {
    #[test]
    fn only_the_signed_body_with_its_secret_passes(
        secret in "[ -~]{1,64}",
        other_secret in "[ -~]{1,64}",
        body in proptest::collection::vec(any::<u8>(), 1..512),
        at in any::<proptest::sample::Index>(),
        flip in 1u8..=255,
    ) {
        let header = signature(&secret, &body);
        prop_assert!(signature_matches(&secret, &body, &header));
        let mut changed = body.clone();
        let index = at.index(changed.len());
        changed[index] ^= flip;
        prop_assert!(!signature_matches(&secret, &changed, &header));
        if other_secret != secret {
            prop_assert!(!signature_matches(&other_secret, &body, &header));
        }
    }

    #[test]
    fn no_header_makes_the_check_panic_or_pass(header in "\\PC{0,100}", body in "\\PC{0,100}") {
        prop_assert!(!signature_matches("secret", body.as_bytes(), &header) || header == signature("secret", body.as_bytes()));
    }
}
