//! Cancelling running statements: `CancelRequest` and `statement_timeout`.
//!
//! Every connection registers an [`Interrupt`] under its (pid, secret key)
//! in the server-wide [`CancelRegistry`]. A statement runs under a fresh
//! token; a `CancelRequest` from another socket fires the token, and the
//! statement — whether still planning or already streaming rows — fails with
//! SQLSTATE 57014. pgwire's own cancel plumbing only covers the planning
//! part, which is why Tessera keeps its own.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use datafusion_postgres::pgwire::api::ClientInfo;
use datafusion_postgres::pgwire::api::PidSecretKeyGenerator;
use datafusion_postgres::pgwire::api::cancel::CancelHandler;
use datafusion_postgres::pgwire::messages::cancel::CancelRequest;
use datafusion_postgres::pgwire::messages::startup::SecretKey;
use futures::{Stream, StreamExt};
use tokio_util::sync::CancellationToken;

use crate::error::{Error, Result};
use crate::sqlstate::QUERY_CANCELED;

type Key = (i32, Vec<u8>);

/// All live connections, by (pid, secret key).
#[derive(Debug, Default)]
pub(crate) struct CancelRegistry {
    live: Mutex<HashMap<Key, Arc<Interrupt>>>,
    next_pid: std::sync::atomic::AtomicI32,
}

impl CancelRegistry {
    fn key(pid: i32, secret: &SecretKey) -> Key {
        (pid, secret.to_bytes().to_vec())
    }

    fn remove(&self, key: &Key) {
        self.live.lock().expect("registry lock").remove(key);
    }
}

/// Answers `CancelRequest`s.
#[derive(Debug)]
pub(crate) struct CancelByKey(pub(crate) Arc<CancelRegistry>);

#[async_trait]
impl CancelHandler for CancelByKey {
    async fn on_cancel_request(&self, request: CancelRequest) {
        let key = CancelRegistry::key(request.pid, &request.secret_key);
        let target = self
            .0
            .live
            .lock()
            .expect("registry lock")
            .get(&key)
            .cloned();
        if let Some(target) = target {
            target.cancel();
        }
    }
}

/// One connection's interrupt state.
#[derive(Debug)]
pub(crate) struct Interrupt {
    current: Mutex<CancellationToken>,
    registry: Arc<CancelRegistry>,
    key: Mutex<Option<Key>>,
}

impl Interrupt {
    pub(crate) fn new(registry: Arc<CancelRegistry>) -> Arc<Interrupt> {
        Arc::new(Interrupt {
            current: Mutex::new(CancellationToken::new()),
            registry,
            key: Mutex::new(None),
        })
    }

    fn cancel(&self) {
        self.current.lock().expect("interrupt lock").cancel();
    }

    /// Starts a statement: a fresh token and an optional deadline.
    pub(crate) fn start(&self, timeout: Option<Duration>) -> Guard {
        let token = CancellationToken::new();
        *self.current.lock().expect("interrupt lock") = token.clone();
        Guard {
            token,
            deadline: timeout.map(|t| Instant::now() + t),
        }
    }
}

impl Drop for Interrupt {
    fn drop(&mut self) {
        if let Some(key) = self.key.lock().expect("interrupt lock").take() {
            self.registry.remove(&key);
        }
    }
}

/// Hands out pids and secret keys and registers the connection under them.
pub(crate) struct KeyGenerator(pub(crate) Arc<Interrupt>);

impl PidSecretKeyGenerator for KeyGenerator {
    fn generate(&self, _client: &dyn ClientInfo) -> (i32, SecretKey) {
        let registry = &self.0.registry;
        let pid = 10_000
            + registry
                .next_pid
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let secret = SecretKey::I32(rand::random::<i32>());
        let key = CancelRegistry::key(pid, &secret);
        registry
            .live
            .lock()
            .expect("registry lock")
            .insert(key.clone(), self.0.clone());
        *self.0.key.lock().expect("interrupt lock") = Some(key);
        (pid, secret)
    }
}

/// The interrupt conditions of one running statement.
#[derive(Debug, Clone)]
pub(crate) struct Guard {
    token: CancellationToken,
    deadline: Option<Instant>,
}

impl Guard {
    /// Resolves with the error when the statement is cancelled or times out.
    pub(crate) async fn interrupted(&self) -> Error {
        match self.deadline {
            Some(deadline) => tokio::select! {
                _ = self.token.cancelled() => cancelled(),
                _ = tokio::time::sleep_until(deadline.into()) => timed_out(),
            },
            None => {
                self.token.cancelled().await;
                cancelled()
            }
        }
    }

    /// Runs `fut` unless interrupted first.
    pub(crate) async fn run<T>(&self, fut: impl Future<Output = Result<T>>) -> Result<T> {
        tokio::select! {
            biased;
            e = self.interrupted() => Err(e),
            r = fut => r,
        }
    }

    /// Wraps a stream so that it ends with the interrupt error once interrupted.
    pub(crate) fn stream<S, T>(&self, inner: S) -> impl Stream<Item = Result<T>> + Send + 'static
    where
        S: Stream<Item = Result<T>> + Send + Unpin + 'static,
        T: Send + 'static,
    {
        futures::stream::unfold(
            (inner, self.clone(), false),
            |(mut inner, guard, done)| async move {
                if done {
                    return None;
                }
                tokio::select! {
                    biased;
                    e = guard.interrupted() => Some((Err(e), (inner, guard, true))),
                    item = inner.next() => item.map(|i| (i, (inner, guard, false))),
                }
            },
        )
    }
}

fn cancelled() -> Error {
    Error::coded(QUERY_CANCELED, "canceling statement due to user request")
}

fn timed_out() -> Error {
    Error::coded(
        QUERY_CANCELED,
        "canceling statement due to statement timeout",
    )
}
