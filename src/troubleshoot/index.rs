//! The catalogue's words, indexed (`cif_data::troubleshoot::index`): the
//! built-in catalogue's index is built by `build.rs` and embedded
//! ([`knowledge::problem_index`](crate::knowledge::problem_index)); a
//! [`Searcher`](super::Searcher) of another catalogue builds its index at
//! its first word search and keeps it.

pub use cif_data::troubleshoot::index::*;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_index_is_the_built_in_catalogues() {
        let catalogue = crate::knowledge::problem_catalogue().expect("catalogue");
        let rules = crate::troubleshoot::word_rules().expect("word lists");
        let embedded = crate::knowledge::problem_index().expect("index");
        assert_eq!(embedded, Index::new(&catalogue, &rules));
    }
}
