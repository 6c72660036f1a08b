//! Links the `dateline` executable at a fixed address on Linux (`-no-pie`).
//!
//! A position-independent executable has every pointer in its constant tables rewritten by
//! the dynamic loader at each start: about 28,000 here (the entity rules' word lists, the
//! gazetteer's, clap's and serde's tables), which cost 0.37 M instructions and about 125
//! copy-on-write page faults, a sixth of a one-word search's whole process. At a fixed
//! address the linker writes them once. The price is that the executable's own code is not
//! placed at a random address (its libraries, heap and stack still are).
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
