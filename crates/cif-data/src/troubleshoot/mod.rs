//! `troubleshoot`'s reading of words and its index of the problem
//! catalogue's words. Here rather than in the tool so that `build.rs` builds
//! the index once, at build time, and embeds it: the tool loads it instead
//! of building it at each run.

pub mod index;
pub mod words;
