//! One module per route of the journey.

pub mod address;
pub mod bank;
pub mod birth;
pub mod check;
pub mod consents;
pub mod contact;
pub mod employment;
pub mod link;
pub mod name;
pub mod not_found;
pub mod opening;
pub mod outcome;
pub mod sign;
pub mod start;
pub mod transfer;
pub mod verify;
