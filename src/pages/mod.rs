//! One module per route of the journey.

pub mod not_found;
pub mod start;
