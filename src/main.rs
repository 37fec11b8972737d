//! The `drehbuch` command line: parse flags, run a command, print
//! diagnostics, exit non-zero on errors.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::LazyLock;

use clap::{Args, CommandFactory, Parser, Subcommand};

use drehbuch::check::{self, CheckOptions, report};
use drehbuch::config::SiteConfig;
use drehbuch::content::{self, LoadOptions};
use drehbuch::diagnostics::Diagnostic;
use drehbuch::site::{self, BuildOptions};

/// mimalloc (v2, without transparent huge pages) instead of the system
/// allocator: rendering and search indexing allocate many small
/// short-lived strings, and glibc's malloc spent a quarter of a search
/// build's CPU time on them. With the crate's `override` feature it also
/// serves C code (Oniguruma allocates on every regex search while code is
/// highlighted). Measured in docs/performance.md: 19 % less CPU with
/// search, peak memory still under 150 MiB at 10,000 pages (huge pages
/// would add 18 MiB).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Cargo features that change what the binary can do, each with whether
/// this build has it; `--version` lists those it has. A new feature is one
/// line here: `("search", cfg!(feature = "search")),`.
const FEATURES: &[(&str, bool)] = &[
    ("search", cfg!(feature = "search")),
    ("pdf", cfg!(feature = "pdf")),
];

/// `-V`: the version and the commit, one line for bug reports.
static SHORT_VERSION: LazyLock<String> = LazyLock::new(|| {
    let commit = env!("DREHBUCH_COMMIT");
    format!(
        "{} ({})",
        env!("CARGO_PKG_VERSION"),
        commit.get(..12).unwrap_or(commit)
    )
});

/// `--version`: the version, the full commit, the target and the enabled
/// features (from build.rs and [`FEATURES`]).
static LONG_VERSION: LazyLock<String> = LazyLock::new(|| {
    let enabled: Vec<&str> = FEATURES
        .iter()
        .filter(|(_, on)| *on)
        .map(|(name, _)| *name)
        .collect();
    format!(
        "{}\ncommit: {}\ntarget: {}\nfeatures: {}",
        env!("CARGO_PKG_VERSION"),
        env!("DREHBUCH_COMMIT"),
        env!("DREHBUCH_TARGET"),
        if enabled.is_empty() {
            "none".to_string()
        } else {
            enabled.join(", ")
        }
    )
});

/// drehbuch builds a multilingual handbook site from Markdown.
#[derive(Parser, Debug)]
#[command(
    name = "drehbuch",
    version = SHORT_VERSION.as_str(),
    long_version = LONG_VERSION.as_str(),
    about,
    long_about = None
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Flags shared by `build` and `check`.
#[derive(Args, Debug, Clone)]
struct SiteArgs {
    /// The site folder, which holds site.yaml.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Publish under this URL instead of site.yaml's base_url,
    /// e.g. https://example.org/toolbox/.
    #[arg(long)]
    base_url: Option<String>,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    drafts: bool,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Build the site into the output folder (all errors are reported; on
    /// error nothing is written and the previous output stays as it was).
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Where to write the site [default: <root>/public].
        #[arg(long)]
        output: Option<PathBuf>,
        /// Write only relative links, so the site works from file://, a USB
        /// stick or an intranet share.
        #[arg(long)]
        relative: bool,
        /// Replace an output folder outside the site even if it holds files
        /// drehbuch did not write (they are deleted).
        #[arg(long)]
        force: bool,
        /// Leave out the typeset PDFs of the print editions (`pdf: false`
        /// in site.yaml does the same for every build).
        #[arg(long)]
        no_pdf: bool,
    },
    /// Check the site without writing anything: links (also those made by
    /// templates), anchors, translations, accessibility basics, UI strings,
    /// datasets. Exit status 1 on errors.
    Check {
        #[command(flatten)]
        site: SiteArgs,
        /// Output format.
        #[arg(long, value_enum, default_value = "human")]
        format: report::Format,
        /// Also fail on warnings (`--deny warnings`).
        #[arg(long, value_parser = ["warnings"])]
        deny: Option<String>,
        /// Also check external links (needs network and curl; results are
        /// cached for a day in .drehbuch/).
        #[arg(long)]
        external: bool,
    },
    /// Preview the site while you write: builds it in memory, serves it at
    /// http://127.0.0.1:1111/ and reloads the browser after every change.
    Serve {
        /// The site folder, which holds site.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The address to listen on; anything but loopback makes the preview
        /// reachable from other machines.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// The port to listen on (the next free one if it is busy).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Open the preview in a browser.
        #[arg(long)]
        open: bool,
        /// Also answer requests for this host name (repeatable); `.example`
        /// allows every name under example. This computer's names and IP
        /// addresses are always answered.
        #[arg(long = "allowed-host", value_name = "NAME")]
        allowed_host: Vec<String>,
    },
    /// Start a new site: site.yaml, a home page per language, one section
    /// with a first chapter, an empty static/ and a README for editors.
    Init {
        /// The folder for the new site (created if missing).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Language codes, the first is the default: `ro,en`.
        #[arg(long, value_delimiter = ',', default_value = "en")]
        languages: Vec<String>,
        /// The site's title.
        #[arg(long)]
        title: Option<String>,
        /// Also write the workflow that checks, builds and publishes the
        /// site [default: github or gitlab when the folder is in a git
        /// repository with such a remote, else none].
        #[arg(long, value_enum)]
        ci: Option<drehbuch::init::Ci>,
    },
    /// The built-in theme.
    #[command(subcommand)]
    Theme(ThemeCommand),
    /// Translation status and bookkeeping.
    #[command(subcommand)]
    Translations(TranslationsCommand),
    /// A CMS for editors who do not use git (Decap CMS, Sveltia CMS).
    #[command(subcommand)]
    Cms(CmsCommand),
    /// Sensor data: turn raw temperature readings into hot-day summaries.
    #[command(subcommand)]
    Sensors(SensorsCommand),
    /// Print a shell completion script, e.g. `drehbuch completions bash >
    /// ~/.local/share/bash-completion/completions/drehbuch`.
    Completions {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff; read it with `drehbuch man | man -l -`).
    Man {
        /// Instead, write one page per command (drehbuch.1,
        /// drehbuch-build.1, …) into this folder, e.g. /usr/local/share/man/man1.
        #[arg(long)]
        dir: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
enum ThemeCommand {
    /// Write the built-in theme (templates, static files, UI strings) into
    /// the site, to change everything. Refuses to overwrite files.
    Eject {
        /// The site folder, which holds site.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write it, relative to the site folder.
        #[arg(long, default_value = "themes/default")]
        to: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
enum TranslationsCommand {
    /// Print every page by language: original, ok, OUTDATED, missing.
    Status {
        /// The site folder, which holds site.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Show only this language.
        #[arg(long)]
        lang: Option<String>,
    },
    /// Record that these translations match the current original
    /// (writes `translated_from:` into their front matter).
    Confirm {
        /// Translation files, e.g. content/cards/heat.en.md.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The site folder, which holds site.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
enum CmsCommand {
    /// Write static/admin/ (index.html and config.yml) from site.yaml and
    /// the sections' fields: one collection per section, one file per
    /// language. Refuses to replace an existing static/admin/ without --force.
    Init {
        /// The site folder, which holds site.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where the CMS saves (see docs/editors.md for sign-in)
        /// [default: github, or with --force the replaced configuration's].
        #[arg(long, value_enum)]
        backend: Option<drehbuch::cms::Backend>,
        /// The repository, as owner/name [default: a placeholder to fill in].
        #[arg(long)]
        repo: Option<String>,
        /// The branch the CMS commits to [default: main].
        #[arg(long)]
        branch: Option<String>,
        /// The forge's address for gitlab and gitea backends
        /// [default: https://gitlab.com, https://codeberg.org].
        #[arg(long)]
        forge_url: Option<String>,
        /// Load the CMS from this script instead of Decap CMS from its CDN
        /// (a local copy, or Sveltia CMS).
        #[arg(long)]
        script: Option<String>,
        /// Replace an existing static/admin/ folder.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Subcommand, Debug)]
enum SensorsCommand {
    /// Read raw readings (CSV, ELEMENT IoT, Data2Resilience, The Things
    /// Stack, DWD; plain, .gz or .zip) and write the summary JSON charts use.
    Summarize(Box<drehbuch::sensors_cli::SummarizeArgs>),
}

/// Prints diagnostics to stderr, their severities in colour when stderr
/// is a terminal (anstream decides, and respects `NO_COLOR` and
/// `CLICOLOR_FORCE`).
fn print_diagnostics(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        anstream::eprint!("{}", report::styled(d));
    }
}

fn fail(diagnostics: &[Diagnostic], what: &str) -> ExitCode {
    fail_with(diagnostics, what, "")
}

fn fail_with(diagnostics: &[Diagnostic], what: &str, after: &str) -> ExitCode {
    print_diagnostics(diagnostics);
    eprintln!("{what}: {}{after}", report::summary_line(diagnostics));
    ExitCode::FAILURE
}

impl SiteArgs {
    fn build_options(self, output: Option<PathBuf>, relative: bool, force: bool) -> BuildOptions {
        BuildOptions {
            root: self.root,
            output,
            base_url: self.base_url,
            drafts: self.drafts,
            relative,
            force,
            spill_dir: None,
            no_pdf: false,
        }
    }
}

fn build(options: BuildOptions) -> ExitCode {
    match site::build(&options) {
        Ok(report) => {
            print_diagnostics(&report.warnings);
            if report.forced_entries > 0 {
                eprintln!(
                    "note: --force: replaced {} and deleted the {} {} it held",
                    report.output.display(),
                    report.forced_entries,
                    if report.forced_entries == 1 {
                        "entry"
                    } else {
                        "entries"
                    }
                );
            }
            let per_language: Vec<String> = report
                .pages_per_language
                .iter()
                .map(|(lang, n)| format!("{lang} {n}"))
                .collect();
            let mut tail = if report.warnings.is_empty() {
                String::new()
            } else {
                format!(
                    ", {} warning(s)",
                    drehbuch::diagnostics::tally(&report.warnings).1
                )
            };
            if let Some((indexed, reused)) = report.search_shards
                && reused > 0
            {
                tail.push_str(&format!(
                    ", search index: {reused} of {} shard(s) unchanged",
                    indexed + reused
                ));
            }
            println!(
                "built {} pages ({}) into {} in {} ms{tail}",
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
        Err(diagnostics) => fail_with(&diagnostics, "build failed", "; nothing was written"),
    }
}

fn check(options: CheckOptions, format: report::Format, deny_warnings: bool) -> ExitCode {
    let report = match check::run(&options) {
        Ok(r) => r,
        Err(diagnostics) => return fail(&diagnostics, "check failed"),
    };
    match format {
        // Coloured when stdout is a terminal, as for diagnostics.
        report::Format::Human => anstream::print!("{}", report::human(&report, true)),
        report::Format::Json => print!("{}", report::json(&report)),
        report::Format::Github => print!("{}", report::github(&report)),
    }
    let failing = report
        .diagnostics
        .iter()
        .any(|d| d.is_error() || deny_warnings);
    if failing {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn translations(command: TranslationsCommand) -> ExitCode {
    let root = match &command {
        TranslationsCommand::Status { root, .. } | TranslationsCommand::Confirm { root, .. } => {
            root.clone()
        }
    };
    let config = match SiteConfig::load(&root) {
        Ok(c) => c,
        Err(d) => return fail(&d, "translations"),
    };
    let (content, diagnostics) = content::load(
        &root,
        &config,
        LoadOptions {
            drafts: true,
            once: true,
        },
    );
    let errors: Vec<Diagnostic> = diagnostics.into_iter().filter(|d| d.is_error()).collect();
    if !errors.is_empty() {
        return fail(&errors, "translations: the content has errors");
    }
    match command {
        TranslationsCommand::Status { lang, .. } => {
            if let Some(code) = lang.as_deref()
                && !config.has_language(code)
            {
                let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
                eprintln!(
                    "error: --lang {code}: the site has no language `{code}` (languages: {})",
                    codes.join(", ")
                );
                return ExitCode::from(2);
            }
            let (rows, diagnostics) = check::translations::status(&root, &config, &content);
            print!(
                "{}",
                check::translations::table(&rows, &config, lang.as_deref())
            );
            print_diagnostics(&diagnostics);
            ExitCode::SUCCESS
        }
        TranslationsCommand::Confirm { files, .. } => {
            match check::translations::confirm(&root, &config, &content, &files) {
                Ok(done) => {
                    for line in done {
                        println!("{line}");
                    }
                    ExitCode::SUCCESS
                }
                Err(d) => fail(&d, "translations confirm"),
            }
        }
    }
}

/// Writes a generated text to stdout. A closed pipe (`drehbuch man |
/// head`) is not an error.
fn print_generated(text: &[u8]) -> ExitCode {
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text).and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot write to stdout: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `drehbuch man`: the top page to stdout, or every page into `dir`.
fn man(dir: Option<PathBuf>) -> ExitCode {
    let Some(dir) = dir else {
        let mut page = Vec::new();
        return match clap_mangen::Man::new(Cli::command()).render(&mut page) {
            Ok(()) => print_generated(&page),
            Err(e) => {
                eprintln!("error: cannot render the manual page: {e}");
                ExitCode::FAILURE
            }
        };
    };
    let result =
        std::fs::create_dir_all(&dir).and_then(|()| clap_mangen::generate_to(Cli::command(), &dir));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!(
                "error: cannot write the manual pages into {}: {e}",
                dir.display()
            );
            ExitCode::FAILURE
        }
    }
}

/// `drehbuch serve`: runs the preview server until stopped.
fn serve(options: drehbuch::serve::ServeOptions) -> ExitCode {
    match drehbuch::serve::serve(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// `drehbuch init`: writes a new site and says what to do next.
fn init(options: drehbuch::init::InitOptions) -> ExitCode {
    match drehbuch::init::init(&options) {
        Ok(files) => {
            for warning in drehbuch::init::warnings(&options) {
                eprintln!("warning: {warning}");
            }
            println!(
                "created a site in {} ({} files); next: cd {} && drehbuch build",
                options.dir.display(),
                files.len(),
                options.dir.display()
            );
            if let Some(step) = drehbuch::init::ci_next_step(&files) {
                println!("{step}");
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// `drehbuch theme eject`: copies the built-in theme to `target`.
fn eject_theme(target: PathBuf) -> ExitCode {
    match drehbuch::sources::theme::eject(&target) {
        Ok(n) => {
            let site_theme = target
                .parent()
                .is_some_and(|parent| parent.file_name().is_some_and(|n| n == "themes"));
            println!(
                "wrote the built-in theme ({n} files) into {}{}",
                target.display(),
                if site_theme {
                    "; with `theme:` naming this folder in site.yaml (or as themes/default/), its files override the built-in ones"
                } else {
                    "; to use it, copy it to themes/<name>/ in a site and name it in site.yaml"
                }
            );
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// `drehbuch cms init`: writes the CMS configuration and says what it
/// covers and what is left to fill in.
fn cms_init(root: &std::path::Path, settings: drehbuch::cms::CmsSettings, force: bool) -> ExitCode {
    match drehbuch::cms::init(root, &settings, force) {
        Ok(report) => {
            println!(
                "{} {} with {} collection{} ({}); open /admin/ of the built site, or of `drehbuch serve` with `npx decap-server` running",
                if report.replaced { "replaced" } else { "wrote" },
                report.files.join(" and "),
                report.sections.len(),
                if report.sections.len() == 1 { "" } else { "s" },
                report
                    .sections
                    .iter()
                    .map(|d| if d.is_empty() {
                        "content/".to_string()
                    } else {
                        format!("{d}/")
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            for dir in &report.data_sections {
                println!(
                    "note: {dir}/ is left out: its pages are rows of a data file, which the CMS cannot edit"
                );
            }
            if report.kept_backend {
                println!(
                    "kept the `backend:` settings of the replaced {}",
                    drehbuch::cms::CONFIG_PATH
                );
            } else if settings.repo.is_none()
                && settings.backend != Some(drehbuch::cms::Backend::GitGateway)
            {
                println!(
                    "note: fill in `repo:` in {} (or run again with --force --repo OWNER/NAME)",
                    drehbuch::cms::CONFIG_PATH
                );
            }
            ExitCode::SUCCESS
        }
        Err(diagnostics) => fail(&diagnostics, "cms init"),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            site,
            output,
            relative,
            force,
            no_pdf,
        } => build(BuildOptions {
            no_pdf,
            ..site.build_options(output, relative, force)
        }),
        Command::Check {
            site,
            format,
            deny,
            external,
        } => check(
            CheckOptions {
                build: site.build_options(None, false, false),
                external,
            },
            format,
            deny.is_some(),
        ),
        Command::Serve {
            root,
            bind,
            port,
            drafts,
            open,
            allowed_host,
        } => serve(drehbuch::serve::ServeOptions {
            root,
            bind,
            port,
            drafts,
            open,
            allowed_hosts: allowed_host,
        }),
        Command::Init {
            dir,
            languages,
            title,
            ci,
        } => init(drehbuch::init::InitOptions {
            dir,
            languages,
            title,
            ci,
        }),
        Command::Theme(ThemeCommand::Eject { root, to }) => eject_theme(root.join(&to)),
        Command::Translations(command) => translations(command),
        Command::Cms(CmsCommand::Init {
            root,
            backend,
            repo,
            branch,
            forge_url,
            script,
            force,
        }) => cms_init(
            &root,
            drehbuch::cms::CmsSettings {
                backend,
                repo,
                branch,
                forge_url,
                script,
            },
            force,
        ),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "drehbuch", &mut script);
            print_generated(&script)
        }
        Command::Man { dir } => man(dir),
        Command::Sensors(SensorsCommand::Summarize(args)) => {
            match drehbuch::sensors_cli::run_summarize(&args) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
        }
    }
}
