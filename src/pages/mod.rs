//! One module per route of the journey.

pub mod birth;
pub mod name;
pub mod not_found;
pub mod start;
