//! The time the site's rules read. Every rule that depends on time (an
//! embargo, a session's age, a comment form's age, a throttle's window)
//! asks a [`Clock`] handed in at start, never the system directly: tests
//! move a manual clock instead of sleeping, and the whole request sees the
//! time it was given.

use std::sync::{Arc, Mutex, PoisonError};

use jiff::{SignedDuration, Timestamp};

/// The system's time, or a time that moves only when told (tests).
#[derive(Debug, Clone)]
pub struct Clock(Arc<Source>);

#[derive(Debug)]
enum Source {
    System,
    Manual(Mutex<Timestamp>),
}

impl Clock {
    /// The operating system's clock.
    pub fn system() -> Clock {
        Clock(Arc::new(Source::System))
    }

    /// A clock that stands at `start` until moved.
    pub fn manual(start: Timestamp) -> Clock {
        Clock(Arc::new(Source::Manual(Mutex::new(start))))
    }

    pub fn now(&self) -> Timestamp {
        match &*self.0 {
            Source::System => Timestamp::now(),
            Source::Manual(at) => *at.lock().unwrap_or_else(PoisonError::into_inner),
        }
    }

    /// Moves a manual clock forward by `by`.
    ///
    /// # Panics
    /// On the system clock: only tests move time, and a test that thinks it
    /// moved the real clock would pass for the wrong reason.
    pub fn advance(&self, by: SignedDuration) {
        match &*self.0 {
            Source::System => panic!("the system clock cannot be moved; start the site with Clock::manual"),
            Source::Manual(at) => {
                let mut at = at.lock().unwrap_or_else(PoisonError::into_inner);
                *at = at.checked_add(by).expect("a clock moved within the representable range");
            }
        }
    }

    /// Whether this clock moves only when told.
    pub fn is_manual(&self) -> bool {
        matches!(&*self.0, Source::Manual(_))
    }
}

impl Default for Clock {
    fn default() -> Clock {
        Clock::system()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_stands_still_until_moved() {
        let start: Timestamp = "2026-12-04T10:00:00Z".parse().unwrap();
        let clock = Clock::manual(start);
        let copy = clock.clone();
        assert_eq!(clock.now(), start);
        copy.advance(SignedDuration::from_secs(90));
        assert_eq!(clock.now(), "2026-12-04T10:01:30Z".parse::<Timestamp>().unwrap(), "clones share the time");
    }

    #[test]
    #[should_panic(expected = "cannot be moved")]
    fn the_system_clock_refuses_to_move() {
        Clock::system().advance(SignedDuration::from_secs(1));
    }
}
