//! The `cif-advisor` binary: everything lives in the library.

fn main() {
    std::process::exit(cif_advisor::run());
}
