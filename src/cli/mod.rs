//! Subcommands.

mod commands;
mod config;
mod matching;
mod serve;
mod stats;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use tracing_subscriber::EnvFilter;

pub use config::Config;

#[derive(Debug, Parser)]
#[command(name = "leadhub", version, about = "The system a LEAD site runs on")]
pub struct Cli {
    /// Configuration file (default: ./leadhub.toml if it exists).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Database URL: sqlite://PATH or postgres://USER:PASSWORD@HOST/DB (default: sqlite://./data/leadhub.db).
    #[arg(
        long,
        global = true,
        env = "DATABASE_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the web server.
    Serve(ServeArgs),
    /// Apply database migrations.
    Migrate,
    /// Seed synthetic demo data into an empty database.
    Demo(DemoArgs),
    /// Print the effective configuration (secrets hidden).
    PrintConfig,
    /// Print the permission matrix (role × action × scope) as Markdown.
    Permissions,
    /// Print the Data & Results definitions and the outcome panel's fields (docs/METRICS.md) as Markdown.
    Metrics,
    /// Staff accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Outcome statistics for evaluators.
    Stats {
        #[command(subcommand)]
        command: StatsCommand,
    },
    /// Identity resolution on CSV files: deduplicate one, or link two.
    Match {
        #[command(subcommand)]
        command: MatchCommand,
    },
    /// Audit log tools.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, value_name = "ADDR")]
    bind: Option<std::net::SocketAddr>,
    /// Seed demo data if the database is empty, and mark every page as a demo.
    #[arg(long)]
    demo: bool,
    /// Apply migrations on start (always done for SQLite).
    #[arg(long)]
    migrate: bool,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// People to create over the past year (two thirds become participants). Without it
    /// (and without --contacts), the demo is the first site's history from its program start:
    /// the figures it published as of 2024-03-25, then on to today.
    #[arg(long)]
    people: Option<usize>,
    /// Contacts to log across participants over the past year.
    #[arg(long)]
    contacts: Option<usize>,
    /// Random seed: the same seed gives the same data.
    #[arg(long, default_value_t = 2022)]
    seed: u64,
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Create an account and print its one-time set-up link (this is how the first
    /// administrator is made).
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// case_manager, project_manager, legal_liaison, community_lead, evaluator or admin.
        #[arg(long)]
        role: String,
        /// The organisation the person works for, as releases of information name it (for
        /// prosecutor, police and defender liaisons).
        #[arg(long)]
        organization: Option<String>,
    },
    /// Clear an account's password and second factor, end its sessions, and print a new
    /// set-up link (for a locked-out administrator).
    ResetSignIn {
        #[arg(long)]
        email: String,
    },
}

#[derive(Debug, Subcommand)]
enum StatsCommand {
    /// Fit generalized estimating equations (robust standard errors) to a CSV file, with
    /// statsmodels' conventions, and write the estimates as JSON.
    Gee(stats::GeeArgs),
}

#[derive(Debug, Subcommand)]
enum MatchCommand {
    /// Find the records of one file that are the same person.
    Dedupe(matching::DedupeArgs),
    /// Find the records of two files that are the same person.
    Link(matching::LinkArgs),
    /// Write synthetic records with ground truth, for benchmarks and tests.
    Generate(matching::GenerateArgs),
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Check the whole hash chain; exits non-zero naming the first bad entry.
    Verify,
}

/// Logs go to stderr; `RUST_LOG` adjusts. Personal data is never logged by leadhub's code.
pub fn init_tracing() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let config = Config::load(cli.config.as_deref(), cli.database_url)?;
    match cli.command {
        Command::Serve(args) => serve::serve(config, args).await.map(|()| ExitCode::SUCCESS),
        Command::Migrate => commands::migrate(&config).await.map(|()| ExitCode::SUCCESS),
        Command::Demo(args) => commands::demo(&config, args)
            .await
            .map(|()| ExitCode::SUCCESS),
        Command::PrintConfig => commands::print_config(&config).map(|()| ExitCode::SUCCESS),
        Command::Metrics => {
            print!(
                "{}\n{}",
                leadhub_domain::results::definitions_markdown(),
                leadhub_domain::outcomes::panel_markdown()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Permissions => {
            print!("{}", commands::permissions_document());
            Ok(ExitCode::SUCCESS)
        }
        Command::User {
            command:
                UserCommand::Add {
                    email,
                    name,
                    role,
                    organization,
                },
        } => commands::user_add(&config, &email, &name, &role, organization.as_deref())
            .await
            .map(|()| ExitCode::SUCCESS),
        Command::User {
            command: UserCommand::ResetSignIn { email },
        } => commands::user_reset(&config, &email)
            .await
            .map(|()| ExitCode::SUCCESS),
        Command::Stats {
            command: StatsCommand::Gee(args),
        } => stats::gee(args).map(|()| ExitCode::SUCCESS),
        Command::Match {
            command: MatchCommand::Dedupe(args),
        } => matching::dedupe(args).map(|()| ExitCode::SUCCESS),
        Command::Match {
            command: MatchCommand::Link(args),
        } => matching::link(args).map(|()| ExitCode::SUCCESS),
        Command::Match {
            command: MatchCommand::Generate(args),
        } => matching::generate(args).map(|()| ExitCode::SUCCESS),
        Command::Audit {
            command: AuditCommand::Verify,
        } => commands::audit_verify(&config).await,
    }
}
