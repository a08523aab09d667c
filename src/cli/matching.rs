//! `leadhub match`: deduplicate or link CSV files of people, for data teams and benchmarks.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use clap::Args;
use leadhub_matching::input::{self, ColumnMap};
use leadhub_matching::{DEFAULT_THRESHOLD, Linkage, Options, Record, cluster};

#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Where to write the pairs: `id_l,id_r,probability`, one row per pair at or above
    /// the threshold, sorted by ids.
    #[arg(long, value_name = "PAIRS.csv")]
    out: PathBuf,
    /// Report pairs at least this probable. The default, 0.5, reports a pair when the
    /// fitted model finds it more likely the same person than not.
    #[arg(long, default_value_t = DEFAULT_THRESHOLD, value_name = "P")]
    threshold: f64,
    /// Rename headers, `source=target,…` (e.g. `given_name=first_name`); an empty target
    /// (`state=`) leaves a column out.
    #[arg(long, value_name = "SOURCE=TARGET,…", default_value = "")]
    map: String,
    /// Also write the fitted model: for every field and level, m, u and the weight in bits.
    #[arg(long, value_name = "MODEL.txt")]
    model: Option<PathBuf>,
    /// The year the `age` column was recorded in (default: this year).
    #[arg(long, value_name = "YEAR")]
    ages_as_of: Option<u16>,
}

#[derive(Debug, Args)]
pub struct DedupeArgs {
    /// CSV with a header; columns: id, first_name, middle_name, last_name, aliases, dob,
    /// age, sex, street, zip, id_number, height_cm, hair, place (all optional but id).
    input: PathBuf,
    #[command(flatten)]
    common: CommonArgs,
    /// Also write every record's cluster: `id,cluster_id`, the cluster named by the id of
    /// its first record in the file.
    #[arg(long, value_name = "CLUSTERS.csv")]
    clusters: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct LinkArgs {
    left: PathBuf,
    right: PathBuf,
    #[command(flatten)]
    common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// How many records to write.
    #[arg(long)]
    records: usize,
    /// The same seed gives the same file.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Where to write the CSV (with a `true_id` column: leave it out of matching with
    /// `--map true_id=`; ages are as of 2026).
    #[arg(long, value_name = "FILE.csv")]
    out: PathBuf,
}

pub fn generate(args: GenerateArgs) -> anyhow::Result<()> {
    let file =
        File::create(&args.out).with_context(|| format!("cannot write {}", args.out.display()))?;
    leadhub_matching::synth::generate(args.records, args.seed, BufWriter::new(file))
        .with_context(|| format!("cannot write {}", args.out.display()))
}

fn options(common: &CommonArgs) -> anyhow::Result<Options> {
    if !(0.0..=1.0).contains(&common.threshold) {
        anyhow::bail!("--threshold must be a probability from 0 to 1");
    }
    Ok(Options {
        threshold: common.threshold,
        ..Options::default()
    })
}

fn read(path: &Path, common: &CommonArgs) -> anyhow::Result<Vec<Record>> {
    let map = ColumnMap::parse(&common.map)?;
    let year = match common.ages_as_of {
        Some(year) => year,
        // The current year is in u16 range until 65535.
        None => u16::try_from(jiff::Zoned::now().year()).unwrap_or(u16::MAX),
    };
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    input::read(BufReader::new(file), &map, year)
        .with_context(|| format!("cannot read {}", path.display()))
}

pub fn dedupe(args: DedupeArgs) -> anyhow::Result<()> {
    let options = options(&args.common)?;
    let started = Instant::now();
    let records = read(&args.input, &args.common)?;
    let linkage = leadhub_matching::dedupe(&records, &options);
    write_pairs(&args.common.out, &linkage, &records, &records)?;
    if let Some(path) = &args.clusters {
        let clusters = cluster::components(
            records.len(),
            linkage.pairs.iter().map(|p| (p.left, p.right)),
        );
        write_clusters(path, &records, &clusters)?;
    }
    finish(&args.common, &linkage, started)
}

pub fn link(args: LinkArgs) -> anyhow::Result<()> {
    let options = options(&args.common)?;
    let started = Instant::now();
    let left = read(&args.left, &args.common)?;
    let right = read(&args.right, &args.common)?;
    let linkage = leadhub_matching::link(&left, &right, &options);
    write_pairs(&args.common.out, &linkage, &left, &right)?;
    finish(&args.common, &linkage, started)
}

fn finish(common: &CommonArgs, linkage: &Linkage, started: Instant) -> anyhow::Result<()> {
    if let Some(path) = &common.model {
        std::fs::write(path, linkage.model.describe())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    report(linkage, started);
    Ok(())
}

fn write_pairs(
    path: &Path,
    linkage: &Linkage,
    left: &[Record],
    right: &[Record],
) -> anyhow::Result<()> {
    write_csv(path, ["id_l", "id_r", "probability"], |out| {
        for pair in &linkage.pairs {
            out.write_record([
                &*left[pair.left as usize].id,
                &*right[pair.right as usize].id,
                &format!("{:.6}", pair.probability),
            ])?;
        }
        Ok(())
    })
}

fn write_clusters(path: &Path, records: &[Record], clusters: &[u32]) -> anyhow::Result<()> {
    write_csv(path, ["id", "cluster_id"], |out| {
        for (record, &root) in records.iter().zip(clusters) {
            out.write_record([&*record.id, &*records[root as usize].id])?;
        }
        Ok(())
    })
}

type CsvOut = csv::Writer<BufWriter<File>>;

/// Writes a CSV file: the header, then the rows `rows` writes, flushed before returning.
fn write_csv<const N: usize>(
    path: &Path,
    header: [&str; N],
    rows: impl FnOnce(&mut CsvOut) -> csv::Result<()>,
) -> anyhow::Result<()> {
    let file = File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
    let mut out = csv::Writer::from_writer(BufWriter::new(file));
    out.write_record(header)?;
    rows(&mut out).with_context(|| format!("cannot write {}", path.display()))?;
    out.into_inner()
        .map_err(|e| anyhow::anyhow!("cannot write {}: {}", path.display(), e.error()))?
        .flush()?;
    Ok(())
}

fn report(linkage: &Linkage, started: Instant) {
    let stats = &linkage.stats;
    eprintln!(
        "{} records, {} candidate pairs ({} blocks too common to expand, largest kept {}), \
         {} pairs at or above the threshold; model: {} EM iterations, prior {:.3e}; {:.2} s\n\
         candidates by the rule that found them: {}",
        stats.records,
        stats.candidates,
        stats.skipped_blocks,
        stats.largest_block,
        linkage.pairs.len(),
        linkage.model.iterations,
        linkage.model.prior,
        started.elapsed().as_secs_f64(),
        leadhub_matching::blocking::Rule::ALL
            .iter()
            .map(|r| format!("{} {}", r.name(), stats.by_rule[*r as usize]))
            .collect::<Vec<_>>()
            .join(", ")
    );
}
