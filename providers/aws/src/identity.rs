//! Who the credentials are: the account and partition STS
//! GetCallerIdentity names, asked once per provider.

use berth_provider::ProviderError;

use crate::AwsProvider;

/// The account and ARN partition (`aws`, `aws-cn`, `aws-us-gov`) of the
/// provider's credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Caller {
    pub(crate) account: String,
    pub(crate) partition: String,
    /// The ARN of the user or assumed role.
    pub(crate) arn: String,
    pub(crate) user_id: String,
}

impl Caller {
    /// The ARN of `resource` (`log-group:NAME`, ...) of `service` in
    /// `region`, in this caller's account.
    pub(crate) fn arn(&self, service: &str, region: &str, resource: &str) -> String {
        format!(
            "arn:{}:{service}:{region}:{}:{resource}",
            self.partition, self.account
        )
    }
}

impl AwsProvider {
    /// The ARN partition of the credentials, for ARNs AWS does not return;
    /// `aws` when STS cannot be asked (an ARN is not worth failing a run).
    pub(crate) async fn partition(&self) -> &str {
        // Boxed: awaited inside every EC2 reader, the call's future would
        // otherwise nest too deep in `read_stack`'s join for rustc.
        Box::pin(self.caller())
            .await
            .map_or("aws", |c| c.partition.as_str())
    }

    /// The caller, from one GetCallerIdentity per provider: the credentials
    /// of a provider never change. A failed call is not remembered, so the
    /// next one asks again.
    pub(crate) async fn caller(&self) -> Result<&Caller, ProviderError> {
        self.caller
            .get_or_try_init(|| async {
                let sts = &self.clients.sts;
                let out = self
                    .call("sts", "GetCallerIdentity", || sts.get_caller_identity().send())
                    .await?;
                let account = out.account.ok_or_else(|| {
                    ProviderError::permanent(
                        "sts:GetCallerIdentity",
                        "MissingAccount",
                        "STS named no account",
                    )
                })?;
                let arn = out.arn.unwrap_or_default();
                // `arn:PARTITION:sts::ACCOUNT:...`
                let partition = arn
                    .split(':')
                    .nth(1)
                    .filter(|p| !p.is_empty())
                    .unwrap_or("aws")
                    .to_owned();
                Ok(Caller {
                    account,
                    partition,
                    arn,
                    user_id: out.user_id.unwrap_or_default(),
                })
            })
            .await
    }
}
