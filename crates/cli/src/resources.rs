//! The dictionaries, synonyms and topic rules an index is built with, kept inside the index so that the
//! server always analyses queries exactly as the indexer analysed replies.
//!
//! `dafu index` copies them (the compiled-in defaults, or those of `--data-dir`) into
//! `<index>/dafu-data/`; `dafu serve` and `dafu search` read them back from there.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use dafu_extract::Extractor;
use dafu_extract::region::RegionTable;
use dafu_extract::topics::{EMBEDDED_RULES, TopicRules};
use dafu_index::analysis::{Analysis, EMBEDDED_DICTS, EMBEDDED_SYNONYMS, SYNONYMS_FILE};

/// Folder inside an index that holds the analysis data it was built with.
pub const INDEX_DATA_DIR: &str = "dafu-data";

/// Everything analysis and extraction need.
pub struct Resources {
    pub analysis: Analysis,
    pub extractor: Extractor,
}

fn load_from(dir: &Path) -> Result<Resources> {
    let topics_path = dir.join("topics.toml");
    let topics = std::fs::read_to_string(&topics_path)
        .with_context(|| format!("reading {}", topics_path.display()))?;
    let topics =
        TopicRules::parse(&topics).with_context(|| format!("in {}", topics_path.display()))?;
    let dict = dir.join("dict");
    let analysis = Analysis::from_dict_dir(&dict)
        .with_context(|| format!("loading dictionaries from {}", dict.display()))?
        .with_synonyms_from(dir)
        .with_context(|| format!("loading synonyms from {}", dir.display()))?;
    Ok(Resources {
        analysis,
        extractor: Extractor::new(RegionTable::embedded(), topics),
    })
}

/// The compiled-in data, or that of `data_dir` (a folder laid out like `index-data/`).
pub fn for_indexing(data_dir: Option<&Path>) -> Result<Resources> {
    match data_dir {
        Some(dir) => load_from(dir),
        None => Ok(Resources {
            analysis: Analysis::embedded()?,
            extractor: Extractor::embedded()?,
        }),
    }
}

/// Saves the data used to build an index next to it.
pub fn save_into_index(index_dir: &Path, data_dir: Option<&Path>) -> Result<()> {
    let target = index_dir.join(INDEX_DATA_DIR);
    let dict_target = target.join("dict");
    std::fs::create_dir_all(&dict_target)
        .with_context(|| format!("creating {}", dict_target.display()))?;
    let write = |path: PathBuf, text: &str| {
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))
    };
    match data_dir {
        None => {
            write(target.join("topics.toml"), EMBEDDED_RULES)?;
            write(target.join(SYNONYMS_FILE), EMBEDDED_SYNONYMS)?;
            for (name, text) in EMBEDDED_DICTS {
                write(dict_target.join(name), text)?;
            }
        }
        Some(dir) => {
            let topics = dir.join("topics.toml");
            std::fs::copy(&topics, target.join("topics.toml"))
                .with_context(|| format!("copying {}", topics.display()))?;
            // A data folder without a synonyms file is searched with the compiled-in one.
            let synonyms = dir.join(SYNONYMS_FILE);
            if synonyms.exists() {
                std::fs::copy(&synonyms, target.join(SYNONYMS_FILE))
                    .with_context(|| format!("copying {}", synonyms.display()))?;
            } else {
                write(target.join(SYNONYMS_FILE), EMBEDDED_SYNONYMS)?;
            }
            for entry in std::fs::read_dir(dir.join("dict"))
                .with_context(|| format!("reading {}/dict", dir.display()))?
            {
                let path = entry?.path();
                if path.extension().is_some_and(|x| x == "txt")
                    && let Some(name) = path.file_name()
                {
                    std::fs::copy(&path, dict_target.join(name))
                        .with_context(|| format!("copying {}", path.display()))?;
                }
            }
        }
    }
    Ok(())
}

/// The data an index was built with (compiled-in defaults for an index that has none saved).
pub fn for_index(index_dir: &Path) -> Result<Resources> {
    let dir = index_dir.join(INDEX_DATA_DIR);
    if dir.join("topics.toml").exists() {
        load_from(&dir)
    } else {
        for_indexing(None)
    }
}
