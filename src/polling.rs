//! Asking the backend again while something is under way: one schedule of waits (quick at
//! first, then slower), a bounded number of asks, and never once the page that asked is gone.
//! A page's polling belongs to the page (its [`PageAlive`]): when the page is cleaned up, the
//! polling stops at its next step and the ask in flight is aborted.

use crate::api::sleep;
use crate::page_alive::PageAlive;

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
