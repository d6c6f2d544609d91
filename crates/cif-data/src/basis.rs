//! How a fact is known, in every data file (the matrix, the catalogues and
//! the rules of `check`), and the check that every fact with a source states
//! its basis.

use serde::{Deserialize, Deserializer, Serialize};

spelled! {
    /// How a fact is known: stated by its source, or the project's reading of
    /// the sources. Required beside every `source` from schema version 2 of the
    /// matrix, and in every catalogue entry and rule case.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
    pub enum Basis {
        /// The cited page states the fact (or a maintainer's answer does).
        #[default]
        Documented = "documented",
        /// No page states it; it is read from the cited pages.
        Inferred = "inferred",
    }
}

/// The shape of a YAML (or JSON) document: enough to see which mappings
/// carry a `source` without a `basis`. Independent of the YAML library.
#[derive(Debug)]
pub enum Shape {
    Map(Vec<(String, Shape)>),
    Seq(Vec<Shape>),
    /// A scalar, as a mapping key shows it (a null is "?").
    Scalar(String),
}

impl<'de> Deserialize<'de> for Shape {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Shape;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_bool<E>(self, v: bool) -> Result<Shape, E> {
                Ok(Shape::Scalar(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Shape, E> {
                Ok(Shape::Scalar(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Shape, E> {
                Ok(Shape::Scalar(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Shape, E> {
                Ok(Shape::Scalar(v.to_string()))
            }
            fn visit_str<E>(self, v: &str) -> Result<Shape, E> {
                Ok(Shape::Scalar(v.to_string()))
            }
            fn visit_unit<E>(self) -> Result<Shape, E> {
                Ok(Shape::Scalar("?".into()))
            }
            fn visit_none<E>(self) -> Result<Shape, E> {
                Ok(Shape::Scalar("?".into()))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Shape, D::Error> {
                Deserialize::deserialize(d)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, a: A) -> Result<Shape, A::Error> {
                let items = Vec::deserialize(serde::de::value::SeqAccessDeserializer::new(a))?;
                Ok(Shape::Seq(items))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> Result<Shape, A::Error> {
                let mut items = Vec::new();
                // The keys of a parsed data file are scalars (its typed
                // parse refuses any other key).
                while let Some((k, v)) = a.next_entry::<Shape, Shape>()? {
                    let key = match k {
                        Shape::Scalar(text) => text,
                        _ => "?".to_string(),
                    };
                    items.push((key, v));
                }
                Ok(Shape::Map(items))
            }
        }
        d.deserialize_any(V)
    }
}

impl Shape {
    /// The path of the first mapping that has a `source` or `sources` key
    /// but no `basis` key ("no fact without a source and a basis"). A
    /// mapping whose facts are its `cases` (the rules of `check`: one source
    /// list, a basis per case) states its basis in each case.
    pub fn first_without_basis(&self) -> Option<String> {
        self.walk("")
    }

    /// Whether this is a mapping with the key `key`.
    fn has(&self, key: &str) -> bool {
        matches!(self, Shape::Map(items) if items.iter().any(|(k, _)| k == key))
    }

    fn walk(&self, path: &str) -> Option<String> {
        match self {
            Shape::Scalar(_) => None,
            Shape::Seq(items) => {
                (items.iter().enumerate()).find_map(|(i, x)| x.walk(&format!("{path}[{i}]")))
            }
            Shape::Map(items) => {
                let cases_state_it = items.iter().any(|(key, v)| {
                    key == "cases"
                        && matches!(v, Shape::Seq(cases) if !cases.is_empty() && cases.iter().all(|c| c.has("basis")))
                });
                if (self.has("source") || self.has("sources"))
                    && !self.has("basis")
                    && !cases_state_it
                {
                    return Some(if path.is_empty() { "(top level)" } else { path }.to_string());
                }
                items.iter().find_map(|(k, v)| {
                    let p = if path.is_empty() {
                        k.clone()
                    } else if k.contains('.') {
                        format!("{path}.\"{k}\"")
                    } else {
                        format!("{path}.{k}")
                    };
                    v.walk(&p)
                })
            }
        }
    }
}
