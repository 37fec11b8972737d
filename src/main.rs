//! The `drehbuch` command line: parse flags, run a command, print
//! diagnostics, exit non-zero on errors.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use drehbuch::diagnostics::Diagnostic;
use drehbuch::site::{self, BuildOptions};

/// drehbuch builds a multilingual handbook site from Markdown.
#[derive(Parser, Debug)]
#[command(name = "drehbuch", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Build the site into the output folder (all errors are reported; on
    /// error nothing is written and the previous output stays as it was).
    Build {
        /// The site folder, which holds site.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: <root>/public].
        #[arg(long)]
        output: Option<PathBuf>,
        /// Publish under this URL instead of site.yaml's base_url,
        /// e.g. https://example.org/toolbox/.
        #[arg(long)]
        base_url: Option<String>,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Sensor data: turn raw temperature readings into hot-day summaries.
    #[command(subcommand)]
    Sensors(SensorsCommand),
}

#[derive(Subcommand, Debug)]
enum SensorsCommand {
    /// Read raw readings (CSV, ELEMENT IoT, Data2Resilience, The Things
    /// Stack, DWD; plain, .gz or .zip) and write the summary JSON charts use.
    Summarize(Box<drehbuch::sensors::SummarizeArgs>),
}

fn print_diagnostics(diagnostics: &[Diagnostic]) {
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for d in diagnostics {
        let text = d.to_string();
        if colour {
            let (start, code) = if d.is_error() {
                ("error", "\x1b[1;31m")
            } else {
                ("warning", "\x1b[1;33m")
            };
            eprint!(
                "{}",
                text.replacen(&format!("{start}:"), &format!("{code}{start}:\x1b[0m"), 1)
            );
        } else {
            eprint!("{text}");
        }
    }
}

fn summary_counts(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    (errors, diagnostics.len() - errors)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Sensors(SensorsCommand::Summarize(args)) => {
            match drehbuch::sensors::run_summarize(&args) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Build {
            root,
            output,
            base_url,
            drafts,
        } => {
            let options = BuildOptions {
                root,
                output,
                base_url,
                drafts,
            };
            match site::build(&options) {
                Ok(report) => {
                    print_diagnostics(&report.warnings);
                    let per_language: Vec<String> = report
                        .pages_per_language
                        .iter()
                        .map(|(lang, n)| format!("{lang} {n}"))
                        .collect();
                    let warnings = if report.warnings.is_empty() {
                        String::new()
                    } else {
                        format!(", {} warning(s)", report.warnings.len())
                    };
                    println!(
                        "built {} pages ({}) into {} in {} ms{warnings}",
                        report
                            .pages_per_language
                            .iter()
                            .map(|(_, n)| n)
                            .sum::<usize>(),
                        per_language.join(", "),
                        report.output.display(),
                        report.elapsed.as_millis()
                    );
                    ExitCode::SUCCESS
                }
                Err(diagnostics) => {
                    print_diagnostics(&diagnostics);
                    let (errors, warnings) = summary_counts(&diagnostics);
                    eprintln!(
                        "build failed: {errors} error(s), {warnings} warning(s); nothing was written"
                    );
                    ExitCode::FAILURE
                }
            }
        }
    }
}
