//! `cargo bench`: the engine's evaluate (full decision and fast outcome),
//! and one batch line end to end.

use cif_advisor::batch::Batch;
use cif_advisor::batch::Detail;
use cif_advisor::engine::Engine;
use cif_advisor::matrix::Matrix;
use cif_advisor::requirements::{parse_document, Lexicon};

fn main() {
    divan::main();
}

fn fixture() -> (Matrix, &'static str) {
    let matrix = cif_advisor::matrix::embedded().unwrap();
    (matrix, "apps: [sales]\nproviders: 2\nanalytics: true\n")
}

#[divan::bench]
fn evaluate_full(bencher: divan::Bencher) {
    let (matrix, text) = fixture();
    let engine = Engine::new(&matrix);
    let req = parse_document(text, &Lexicon::new(&matrix)).unwrap();
    bencher.bench_local(|| engine.evaluate(divan::black_box(&req)));
}

#[divan::bench]
fn evaluate_outcome_only(bencher: divan::Bencher) {
    let (matrix, text) = fixture();
    let engine = Engine::new(&matrix);
    let req = parse_document(text, &Lexicon::new(&matrix)).unwrap();
    bencher.bench_local(|| engine.outcome(divan::black_box(&req)));
}

#[divan::bench]
fn batch_line_compact(bencher: divan::Bencher) {
    let (matrix, _) = fixture();
    let engine = Engine::new(&matrix);
    let mut batch = Batch::new(&engine, Detail::Compact);
    let line = br#"{"id": "org-17", "apps": ["sales"], "providers": 2, "analytics": true}"#;
    let mut out = Vec::with_capacity(256);
    bencher.bench_local(|| {
        out.clear();
        batch.process(1, divan::black_box(line), &mut out);
    });
}

#[divan::bench]
fn load_embedded_matrix() -> Matrix {
    cif_advisor::matrix::embedded().unwrap()
}
