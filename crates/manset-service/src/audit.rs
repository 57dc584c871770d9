//! Who does something, and the audit log entry it leaves.

use std::net::IpAddr;

use manset_core::User;
use manset_store::NewAuditEntry;

use crate::Service;

/// A newsroom member acting, from an address.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user: User,
    pub ip: Option<IpAddr>,
}

impl Service {
    /// Writes what `actor` just did into the audit log. A failure to write is
    /// logged, not returned: the action itself has already happened.
    pub async fn audit(&self, actor: &Actor, action: &str, subject: &str, detail: &str) {
        let who = format!("{} <{}>", actor.user.name, actor.user.email);
        let ip = actor.ip.map(|ip| ip.to_string());
        let entry =
            NewAuditEntry { user_id: Some(actor.user.id), actor: &who, action, subject, detail, ip: ip.as_deref() };
        if let Err(e) = self.store().audit(entry, self.now()).await {
            tracing::error!(action, "cannot write the audit log: {e}");
        }
    }
}
