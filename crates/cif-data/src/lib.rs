//! The data files of cif-advisor: the feature matrix (`data/cif-matrix.yaml`),
//! the knowledge catalogues (api, problems, migrate, troubleshoot's words)
//! and the rules of `check`: their typed model, their validation and their
//! loading from YAML. The main crate uses it twice: `build.rs` checks the
//! embedded files with it, and the tool reads them with it.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

/// An enum of the data files whose variants each have one spelling: serde
/// reads and writes it, and `as_str` returns it.
#[macro_export]
macro_rules! spelled {
    ($(#[$m:meta])* pub enum $name:ident { $($(#[$vm:meta])* $v:ident = $text:literal,)* }) => {
        $(#[$m])*
        pub enum $name { $($(#[$vm])* #[serde(rename = $text)] $v,)* }
        impl $name {
            pub fn as_str(self) -> &'static str {
                match self { $($name::$v => $text,)* }
            }
        }
    };
}

pub mod basis;
pub mod check;
pub mod dates;
pub mod input;
pub mod knowledge;
pub mod matrix;
pub mod sanitize;
pub mod troubleshoot;
pub mod validators;
pub mod yaml;
