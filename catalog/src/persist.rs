//! Persistence of the catalog on the warehouse's object store.
//!
//! Every change writes a complete new [`CatalogState`] as
//! `_tessera/catalog/<version>.json`, with a put that fails if the file
//! exists. Two processes that change the catalog at once therefore cannot
//! overwrite each other: the second one gets `AlreadyExists`, reloads and
//! re-applies its change (see [`crate::Warehouse::mutate`]). Readers find new
//! versions by probing for `<version + 1>.json`, which is one HEAD request
//! per statement; only start-up lists the folder. Old versions beyond
//! [`KEEP_VERSIONS`] are deleted.

use bytes::Bytes;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutMode, PutOptions, PutPayload};

use crate::error::{Error, Result};
use crate::metadata::CatalogState;

/// Folder, relative to the warehouse root, that holds catalog versions.
pub const CATALOG_DIR: &str = "_tessera/catalog";

/// How many old catalog versions are kept for inspection and recovery.
pub const KEEP_VERSIONS: u64 = 50;

/// Object store location of one catalog version.
fn version_path(root: &Path, version: u64) -> Path {
    root.clone()
        .join("_tessera")
        .join("catalog")
        .join(format!("{version:020}.json"))
}

fn parse_version(path: &Path) -> Option<u64> {
    path.filename()?.strip_suffix(".json")?.parse().ok()
}

/// Reads the newest catalog version under `root`; version 0 (the empty
/// catalog with `public`) when none was ever written.
pub async fn load_latest(store: &dyn ObjectStore, root: &Path) -> Result<(u64, CatalogState)> {
    use futures::TryStreamExt;
    let dir = root.clone().join("_tessera").join("catalog");
    let objects: Vec<_> = store.list(Some(&dir)).try_collect().await?;
    let latest = objects
        .iter()
        .filter_map(|o| parse_version(&o.location))
        .max();
    let Some(mut version) = latest else {
        return Ok((0, CatalogState::default()));
    };
    let mut state = read_version(store, root, version).await?;
    // A writer may have committed between the listing and the read.
    while let Some(newer) = try_read_version(store, root, version + 1).await? {
        version += 1;
        state = newer;
    }
    Ok((version, state))
}

/// Returns the newer state if versions after `version` exist.
pub async fn refresh(
    store: &dyn ObjectStore,
    root: &Path,
    version: u64,
) -> Result<Option<(u64, CatalogState)>> {
    let mut found = None;
    let mut v = version;
    while let Some(state) = try_read_version(store, root, v + 1).await? {
        v += 1;
        found = Some((v, state));
    }
    Ok(found)
}

async fn read_version(store: &dyn ObjectStore, root: &Path, version: u64) -> Result<CatalogState> {
    try_read_version(store, root, version)
        .await?
        .ok_or_else(|| {
            Error::ObjectStore(object_store::Error::NotFound {
                path: version_path(root, version).to_string(),
                source: "catalog version vanished".into(),
            })
        })
}

async fn try_read_version(
    store: &dyn ObjectStore,
    root: &Path,
    version: u64,
) -> Result<Option<CatalogState>> {
    let path = version_path(root, version);
    let bytes = match store.get(&path).await {
        Ok(r) => r.bytes().await?,
        Err(object_store::Error::NotFound { .. }) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let state = serde_json::from_slice(&bytes).map_err(|source| Error::CorruptCatalog {
        path: path.to_string(),
        source,
    })?;
    Ok(Some(state))
}

/// Outcome of an attempt to write a version.
#[derive(Debug, PartialEq, Eq)]
pub enum Commit {
    /// The version was written.
    Done,
    /// Another writer wrote this version first.
    Conflict,
}

/// Writes `state` as `version`, failing with [`Commit::Conflict`] when that
/// version exists already.
pub async fn write_version(
    store: &dyn ObjectStore,
    root: &Path,
    version: u64,
    state: &CatalogState,
) -> Result<Commit> {
    let json = serde_json::to_vec_pretty(state).expect("catalog state always serialises");
    let opts = PutOptions {
        mode: PutMode::Create,
        ..Default::default()
    };
    let path = version_path(root, version);
    match store
        .put_opts(&path, PutPayload::from(Bytes::from(json)), opts)
        .await
    {
        Ok(_) => {}
        Err(object_store::Error::AlreadyExists { .. })
        | Err(object_store::Error::Precondition { .. }) => return Ok(Commit::Conflict),
        Err(e) => return Err(e.into()),
    }
    if version > KEEP_VERSIONS {
        // Best effort: a leftover old version is harmless.
        let old = version_path(root, version - KEEP_VERSIONS);
        if let Err(e) = store.delete(&old).await {
            tracing::debug!(path = %old, error = %e, "could not delete old catalog version");
        }
    }
    Ok(Commit::Done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use object_store::memory::InMemory;

    #[tokio::test]
    async fn versions_are_written_once_and_found_again() {
        let store = InMemory::new();
        let root = Path::from("wh");
        let (v, mut state) = load_latest(&store, &root).await.unwrap();
        assert_eq!(v, 0);
        state.create_schema("crm", false).unwrap();
        assert_eq!(
            write_version(&store, &root, 1, &state).await.unwrap(),
            Commit::Done
        );
        assert_eq!(
            write_version(&store, &root, 1, &CatalogState::default())
                .await
                .unwrap(),
            Commit::Conflict
        );
        let (v, loaded) = load_latest(&store, &root).await.unwrap();
        assert_eq!((v, &loaded), (1, &state));
        assert!(refresh(&store, &root, 1).await.unwrap().is_none());
        assert_eq!(refresh(&store, &root, 0).await.unwrap().unwrap().0, 1);
    }
}
