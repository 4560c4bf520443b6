//! The `attain` binary: parse arguments, run, print errors, exit with 0 (success), 1 (runtime
//! failure) or 2 (bad input or usage).

mod cli;

fn main() {
    let code = match cli::main() {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("{e}");
            e.exit_code()
        }
    };
    std::process::exit(code);
}
