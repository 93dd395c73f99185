//! Compiles the built-in rule packs in a loop, for profiling: `cargo run --release -p pms-bench --example compile_loop`.
fn main() {
    let n: u32 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200);
    let t = std::time::Instant::now();
    for _ in 0..n {
        std::hint::black_box(pms_rules::compile_builtin().is_ok());
    }
    println!(
        "{:.2} ms per compile",
        t.elapsed().as_secs_f64() * 1000.0 / f64::from(n)
    );
}
