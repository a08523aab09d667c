//! `migrate`, `demo`, `print-config`, `audit verify`.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use leadhub_domain::SiteProfile;
use leadhub_store::{AuditVerification, Db, DemoSpec};

use super::{Config, DemoArgs};

pub async fn connect(config: &Config) -> anyhow::Result<Db> {
    Db::connect(&config.database.url)
        .await
        .context("cannot open the database")
}

pub async fn migrate(config: &Config) -> anyhow::Result<()> {
    let db = connect(config).await?;
    db.migrate().await.context("applying migrations")?;
    eprintln!("leadhub: {} database is up to date", db.backend().name());
    Ok(())
}

pub async fn demo(config: &Config, args: DemoArgs) -> anyhow::Result<()> {
    let site = config.site()?;
    let db = connect(config).await?;
    db.migrate().await.context("applying migrations")?;
    anyhow::ensure!(
        db.is_empty().await?,
        "the database already holds data; demo data goes only into an empty database"
    );
    let defaults = DemoSpec::default();
    let spec = DemoSpec {
        people: args.people.unwrap_or(defaults.people),
        contacts: args.contacts.unwrap_or(defaults.contacts),
        seed: args.seed,
    };
    seed_demo(&db, &site, &spec).await?;
    db.close().await;
    Ok(())
}

pub async fn seed_demo(db: &Db, site: &SiteProfile, spec: &DemoSpec) -> anyhow::Result<()> {
    let started = Instant::now();
    let places: Vec<String> = site.places.iter().map(|p| p.key.clone()).collect();
    let summary = db
        .seed_demo(spec, &site.calendar, &places, leadhub_store::now())
        .await
        .context("seeding demo data")?;
    eprintln!(
        "leadhub: demo data: {} people, {} referrals, {} participants, {} contacts in {:.1} s",
        summary.people,
        summary.referrals,
        summary.participants,
        summary.contacts,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

pub fn print_config(config: &Config) -> anyhow::Result<()> {
    print!(
        "{}",
        toml::to_string_pretty(&config.redacted()).context("formatting the configuration")?
    );
    Ok(())
}

pub async fn audit_verify(config: &Config) -> anyhow::Result<ExitCode> {
    let db = connect(config).await?;
    let started = Instant::now();
    let result = db.verify_audit_chain().await?;
    let seconds = started.elapsed().as_secs_f64();
    Ok(match result {
        AuditVerification::Intact { entries } => {
            println!("audit log intact: {entries} entries verified in {seconds:.2} s");
            ExitCode::SUCCESS
        }
        AuditVerification::Broken { seq, reason } => {
            println!("audit log BROKEN at entry {seq}: {reason}");
            ExitCode::from(2)
        }
    })
}
