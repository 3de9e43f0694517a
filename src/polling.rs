//! Asking the backend again while something is under way: one schedule of waits (quick at
//! first, then slower), a bounded number of asks, and never once the page that asked is gone.
//! A page's polling belongs to the page's reactive owner: when the page is cleaned up, the
//! marker value stored there is disposed and the polling stops at its next step.

use leptos::prelude::*;

use crate::api::sleep;

/// Whether to ask again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Polled {
    /// Still under way: ask again after the next wait.
    Again,
    /// Settled, or only the customer can go on: stop asking.
    Done,
}

/// When to ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    /// Waits between asks, in milliseconds; the last one repeats.
    pub waits: &'static [i32],
    /// Asks at most.
    pub max_asks: usize,
    /// Wait before the first ask too (the answer right now is known to be "under way").
    pub wait_first: bool,
}

impl Schedule {
    fn wait(&self, ask: usize) -> i32 {
        self.waits[ask.min(self.waits.len() - 1)]
    }
}

/// Whether a page is still there; made while the page is set up (it belongs to the page's
/// reactive owner), copied into its pollings, whose asks check it after their own awaits
/// before they change what the page shows.
#[derive(Debug, Clone, Copy)]
pub struct PageAlive(StoredValue<()>);

impl PageAlive {
    /// A marker owned by the current reactive owner (the page being set up).
    pub fn new() -> PageAlive {
        PageAlive(StoredValue::new(()))
    }

    /// The page is still shown.
    pub fn is_alive(self) -> bool {
        !self.0.is_disposed()
    }
}

impl Default for PageAlive {
    fn default() -> PageAlive {
        PageAlive::new()
    }
}

/// Runs `ask` on `schedule` until it answers [`Polled::Done`], the asks run out or the page
/// of `alive` (made while the page was set up) is gone. `ask` gets it to check after its own
/// awaits.
pub fn poll<F, Fut>(alive: PageAlive, schedule: Schedule, mut ask: F)
where
    F: FnMut(PageAlive) -> Fut + 'static,
    Fut: Future<Output = Polled> + 'static,
{
    leptos::task::spawn_local(async move {
        for asked in 0..schedule.max_asks {
            if schedule.wait_first {
                sleep(schedule.wait(asked)).await;
            }
            if !alive.is_alive() || ask(alive).await == Polled::Done {
                return;
            }
            if !schedule.wait_first {
                sleep(schedule.wait(asked)).await;
            }
        }
    });
}
