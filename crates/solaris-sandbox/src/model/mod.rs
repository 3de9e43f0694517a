//! What the emulator holds, as plain data with no behaviour beyond keeping itself consistent:
//! persons and their mobile numbers, identifications and sessions, the SMS inbox, the test
//! controls' records, and the changes to publish as webhooks. The engine (`impl Sandbox` and
//! `impl State` in the resource modules) acts on it; the API and the screens call the engine.

mod changes;
mod identification;
mod records;
mod session;
mod state;

pub use changes::{Changes, Payload};
pub use identification::{
    BANK_CONNECTION_TIMEOUT, Document, IDENTIFICATION_EXPIRY, Identification, QES_CODE_VALIDITY,
};
pub use records::{Fault, KEPT_RECORDS, keep_latest};
pub use session::Session;
pub use state::{MobileNumber, Person, Sms, State};
