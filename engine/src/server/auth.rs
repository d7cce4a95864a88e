//! Start-up: authentication (trust or SCRAM-SHA-256), the database check,
//! start-up parameters applied to the session and the `ParameterStatus`
//! messages PostgreSQL 15 sends.

use std::collections::HashMap;
use std::fmt::Debug;
use std::sync::Arc;

use async_trait::async_trait;
use datafusion_postgres::pgwire::api::auth::sasl::SASLAuthStartupHandler;
use datafusion_postgres::pgwire::api::auth::sasl::scram::{ScramAuth, gen_salted_password};
use datafusion_postgres::pgwire::api::auth::{
    AuthSource, LoginInfo, Password, ServerParameterProvider, StartupHandler,
    finish_authentication, protocol_negotiation, save_startup_parameters_to_metadata,
};
use datafusion_postgres::pgwire::api::{ClientInfo, PidSecretKeyGenerator};
use datafusion_postgres::pgwire::error::{ErrorInfo, PgWireError, PgWireResult};
use datafusion_postgres::pgwire::messages::{PgWireBackendMessage, PgWireFrontendMessage};
use futures::Sink;

use super::connection::Connection;
use super::interrupt::KeyGenerator;
use crate::session::CATALOG_NAME;
use crate::sqlstate;

/// SCRAM iteration count (PostgreSQL's default).
const ITERATIONS: usize = 4096;

/// Users allowed to log in with a password.
#[derive(Debug, Default)]
pub struct Users {
    /// name → (salt, salted password)
    salted: HashMap<String, (Vec<u8>, Vec<u8>)>,
}

impl Users {
    /// Users from `name → password`.
    pub fn new(passwords: &HashMap<String, String>) -> Users {
        let salted = passwords
            .iter()
            .map(|(name, pw)| {
                let salt: [u8; 16] = rand::random();
                let salted = gen_salted_password(pw, &salt, ITERATIONS);
                (name.clone(), (salt.to_vec(), salted))
            })
            .collect();
        Users { salted }
    }

    /// The user names.
    pub fn names(&self) -> Vec<String> {
        let mut v: Vec<String> = self.salted.keys().cloned().collect();
        v.sort();
        v
    }
}

#[async_trait]
impl AuthSource for Users {
    async fn get_password(&self, login: &LoginInfo) -> PgWireResult<Password> {
        let user = login.user().unwrap_or_default();
        match self.salted.get(user) {
            Some((salt, salted)) => Ok(Password::new(Some(salt.clone()), salted.clone())),
            // An unknown user gets a random password, so the failure looks
            // the same as a wrong password (no user enumeration).
            None => {
                let salt: [u8; 16] = rand::random();
                let junk: [u8; 16] = rand::random();
                Ok(Password::new(
                    Some(salt.to_vec()),
                    gen_salted_password(&String::from_utf8_lossy(&junk), &salt, ITERATIONS),
                ))
            }
        }
    }
}

/// Applies start-up parameters and lists the `ParameterStatus` values.
#[derive(Debug)]
pub(crate) struct StartupParameters(pub(crate) Arc<Connection>);

impl ServerParameterProvider for StartupParameters {
    fn server_parameters<C>(&self, client: &C) -> Option<HashMap<String, String>>
    where
        C: ClientInfo,
    {
        self.0.apply_startup(client.metadata(), client.is_secure());
        Some(self.0.settings().reported().into_iter().collect())
    }
}

/// The start-up handler of one connection.
pub(crate) struct Startup {
    params: Arc<StartupParameters>,
    keys: KeyGenerator,
    scram: Option<SASLAuthStartupHandler<StartupParameters>>,
}

impl Startup {
    pub(crate) fn new(conn: Arc<Connection>, users: Option<Arc<Users>>) -> Startup {
        let params = Arc::new(StartupParameters(conn.clone()));
        let scram = users.map(|users| {
            let mut scram = ScramAuth::new(users);
            scram.set_iterations(ITERATIONS);
            SASLAuthStartupHandler::new(params.clone())
                .with_scram(scram)
                .with_pid_secret_key_generator(Arc::new(KeyGenerator(conn.interrupt().clone())))
        });
        Startup {
            params,
            keys: KeyGenerator(conn.interrupt().clone()),
            scram,
        }
    }
}

fn fatal(code: &str, message: String) -> PgWireError {
    PgWireError::UserError(Box::new(ErrorInfo::new(
        "FATAL".into(),
        code.into(),
        message,
    )))
}

#[async_trait]
impl StartupHandler for Startup {
    async fn on_startup<C>(
        &self,
        client: &mut C,
        message: PgWireFrontendMessage,
    ) -> PgWireResult<()>
    where
        C: ClientInfo + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        if let PgWireFrontendMessage::Startup(ref startup) = message {
            let user = startup.parameters.get("user").cloned().unwrap_or_default();
            let database = startup
                .parameters
                .get("database")
                .cloned()
                .unwrap_or_else(|| user.clone());
            if user.is_empty() {
                return Err(fatal(
                    sqlstate::INVALID_AUTHORIZATION_SPECIFICATION,
                    "no PostgreSQL user name specified in startup packet".into(),
                ));
            }
            if database != CATALOG_NAME {
                return Err(fatal(
                    sqlstate::INVALID_CATALOG_NAME,
                    format!(
                        "database \"{database}\" does not exist (Tessera serves \"{CATALOG_NAME}\")"
                    ),
                ));
            }
        }
        if let Some(scram) = &self.scram {
            return match scram.on_startup(client, message).await {
                // libpq leaves the SCRAM user name empty (the server uses the
                // start-up packet's), so pgwire's message names user "".
                Err(PgWireError::InvalidPassword(_)) => {
                    let user = client.metadata().get("user").cloned().unwrap_or_default();
                    Err(fatal(
                        sqlstate::INVALID_PASSWORD,
                        format!("password authentication failed for user \"{user}\""),
                    ))
                }
                other => other,
            };
        }
        if let PgWireFrontendMessage::Startup(ref startup) = message {
            protocol_negotiation(client, startup).await?;
            save_startup_parameters_to_metadata(client, startup);
            let (pid, secret) = self.keys.generate(client);
            client.set_pid_and_secret_key(pid, secret);
            finish_authentication(client, self.params.as_ref()).await?;
        }
        Ok(())
    }
}
