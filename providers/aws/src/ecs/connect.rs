//! ECS Service Connect: a service's `service_connect` block as the
//! `serviceConnectConfiguration` CreateService and UpdateService take, and
//! back from DescribeServices. ECS reports the configuration only on the
//! service's deployments: the PRIMARY one's (the newest) is the service's.
//! ECS takes a namespace's name or ARN, not its id: an id (what a
//! `dns_namespace` reference gives) is turned into the ARN with Cloud Map's
//! GetNamespace.

use aws_sdk_ecs::types::{
    Deployment, Service, ServiceConnectAccessLogConfiguration, ServiceConnectAccessLoggingFormat,
    ServiceConnectClientAlias, ServiceConnectConfiguration, ServiceConnectIncludeQueryParameters,
    ServiceConnectService, TimeoutConfiguration,
};
use berth_provider::{Attrs, ProviderError, Value};

use super::task_definition::{arn_region, decode_log, encode_log};
use crate::AwsProvider;
use crate::attrs::{attrs, blocks_of, i32_of, opt_int, str_of};
use crate::errors::build_error;

/// The ARN of the namespace written as `namespace`: an id is looked up,
/// an ARN (or a name) is sent as it is.
pub(super) async fn namespace_arn(p: &AwsProvider, namespace: &str) -> Result<String, ProviderError> {
    if !namespace.starts_with("ns-") {
        return Ok(namespace.to_owned());
    }
    let sd = &p.clients.discovery;
    let got = p
        .call("servicediscovery", "GetNamespace", || {
            sd.get_namespace().id(namespace).send()
        })
        .await?;
    Ok(got
        .namespace()
        .and_then(|n| n.arn())
        .unwrap_or(namespace)
        .to_owned())
}

/// One `service` block.
fn service(call: &str, s: &Attrs) -> Result<ServiceConnectService, ProviderError> {
    let aliases = blocks_of(s, "client_alias")
        .into_iter()
        .map(|a| {
            ServiceConnectClientAlias::builder()
                .set_port(i32_of(a, "port"))
                .set_dns_name(str_of(a, "dns_name").map(str::to_owned))
                .build()
                .map_err(|e| build_error(call, e))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let timeout = blocks_of(s, "timeout").first().map(|t| {
        TimeoutConfiguration::builder()
            .set_idle_timeout_seconds(i32_of(t, "idle_timeout_seconds"))
            .set_per_request_timeout_seconds(i32_of(t, "per_request_timeout_seconds"))
            .build()
    });
    ServiceConnectService::builder()
        .set_port_name(str_of(s, "port_name").map(str::to_owned))
        .set_discovery_name(str_of(s, "discovery_name").map(str::to_owned))
        .set_client_aliases((!aliases.is_empty()).then_some(aliases))
        .set_ingress_port_override(i32_of(s, "ingress_port_override"))
        .set_timeout(timeout)
        .build()
        .map_err(|e| build_error(call, e))
}

/// The configuration `a`'s `service_connect` block asks for; `None`
/// without the block. `leaving`: the block was removed, so ECS is told to
/// turn Service Connect off.
pub(super) async fn encode(
    p: &AwsProvider,
    call: &str,
    a: &Attrs,
    leaving: bool,
) -> Result<Option<ServiceConnectConfiguration>, ProviderError> {
    let Some(block) = blocks_of(a, "service_connect").first().copied() else {
        return Ok(leaving.then(|| ServiceConnectConfiguration::builder().enabled(false).build()));
    };
    let namespace = match str_of(block, "namespace") {
        Some(ns) => Some(namespace_arn(p, ns).await?),
        None => None,
    };
    let services = blocks_of(block, "service")
        .into_iter()
        .map(|s| service(call, s))
        .collect::<Result<Vec<_>, _>>()?;
    let log = blocks_of(block, "log")
        .first()
        .map(|l| encode_log(call, l, p.region()))
        .transpose()?;
    let access_log = blocks_of(block, "access_log")
        .first()
        .map(|l| access_log(call, l))
        .transpose()?;
    Ok(Some(
        ServiceConnectConfiguration::builder()
            .enabled(block.get("enabled") != Some(&Value::Bool(false)))
            .set_namespace(namespace)
            .set_services((!services.is_empty()).then_some(services))
            .set_log_configuration(log)
            .set_access_log_configuration(access_log)
            .build(),
    ))
}

/// The proxy's `access_log` block.
fn access_log(call: &str, l: &Attrs) -> Result<ServiceConnectAccessLogConfiguration, ProviderError> {
    ServiceConnectAccessLogConfiguration::builder()
        .set_format(str_of(l, "format").map(ServiceConnectAccessLoggingFormat::from))
        .set_include_query_parameters(
            str_of(l, "include_query_parameters").map(ServiceConnectIncludeQueryParameters::from),
        )
        .build()
        .map_err(|e| build_error(call, e))
}

/// The deployment whose configuration is the service's: the PRIMARY one,
/// else the newest.
fn primary(s: &Service) -> Option<&Deployment> {
    let deployments = s.deployments();
    deployments
        .iter()
        .find(|d| d.status() == Some("PRIMARY"))
        .or_else(|| {
            deployments
                .iter()
                .max_by_key(|d| d.created_at().map(|t| t.secs()))
        })
}

/// The service's `service_connect` blocks (none or one) as DescribeServices
/// reports them. An emulator that keeps no configuration (moto) reads as
/// none.
pub(super) fn decode(s: &Service) -> Value {
    let Some(c) = primary(s).and_then(Deployment::service_connect_configuration) else {
        return Value::List(Vec::new());
    };
    let services = c
        .services()
        .iter()
        .map(|s| {
            let aliases = s
                .client_aliases()
                .iter()
                .map(|a| {
                    Value::Map(attrs([
                        ("port", Value::Int(i64::from(a.port()))),
                        ("dns_name", a.dns_name().map_or(Value::Null, Value::from)),
                    ]))
                })
                .collect();
            let timeout = s
                .timeout()
                .filter(|t| t.idle_timeout_seconds().is_some() || t.per_request_timeout_seconds().is_some())
                .map(|t| {
                    Value::Map(attrs([
                        ("idle_timeout_seconds", opt_int(t.idle_timeout_seconds())),
                        (
                            "per_request_timeout_seconds",
                            opt_int(t.per_request_timeout_seconds()),
                        ),
                    ]))
                });
            Value::Map(attrs([
                ("port_name", Value::from(s.port_name())),
                (
                    "discovery_name",
                    s.discovery_name().map_or(Value::Null, Value::from),
                ),
                ("ingress_port_override", opt_int(s.ingress_port_override())),
                ("client_alias", Value::List(aliases)),
                ("timeout", Value::List(timeout.into_iter().collect())),
            ]))
        })
        .collect();
    let region = s.service_arn().and_then(arn_region);
    let log: Vec<Value> = c
        .log_configuration()
        .map(|l| decode_log(l, region))
        .into_iter()
        .collect();
    let access_log: Vec<Value> = c
        .access_log_configuration()
        .map(|l| {
            Value::Map(attrs([
                ("format", Value::from(l.format().as_str())),
                (
                    "include_query_parameters",
                    Value::from(
                        l.include_query_parameters()
                            .map_or("DISABLED", ServiceConnectIncludeQueryParameters::as_str),
                    ),
                ),
            ]))
        })
        .into_iter()
        .collect();
    Value::List(vec![Value::Map(attrs([
        ("enabled", Value::Bool(c.enabled())),
        ("namespace", c.namespace().map_or(Value::Null, Value::from)),
        ("service", Value::List(services)),
        ("log", Value::List(log)),
        ("access_log", Value::List(access_log)),
    ]))])
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ecs::types::{LogConfiguration, LogDriver};

    fn service_with(deployments: Vec<Deployment>) -> Service {
        Service::builder().set_deployments(Some(deployments)).build()
    }

    #[test]
    fn reads_the_primary_deployments_configuration() {
        let alias = ServiceConnectClientAlias::builder()
            .port(80)
            .dns_name("api")
            .build()
            .expect("alias");
        let sc = ServiceConnectService::builder()
            .port_name("http")
            .client_aliases(alias)
            .timeout(TimeoutConfiguration::builder().idle_timeout_seconds(60).build())
            .build()
            .expect("service");
        let log = LogConfiguration::builder()
            .log_driver(LogDriver::Awslogs)
            .options("awslogs-group", "/sc")
            .build()
            .expect("log");
        let config = ServiceConnectConfiguration::builder()
            .enabled(true)
            .namespace("arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-abc")
            .services(sc)
            .log_configuration(log)
            .access_log_configuration(
                ServiceConnectAccessLogConfiguration::builder()
                    .format(ServiceConnectAccessLoggingFormat::Json)
                    .include_query_parameters(ServiceConnectIncludeQueryParameters::Enabled)
                    .build()
                    .expect("access log"),
            )
            .build();
        let old = Deployment::builder().status("ACTIVE").build();
        let new = Deployment::builder()
            .status("PRIMARY")
            .service_connect_configuration(config)
            .build();
        let read = decode(&service_with(vec![old, new]));
        let text = read.to_string();
        assert!(text.contains("ns-abc"), "{text}");
        assert!(text.contains("\"http\""), "{text}");
        assert!(text.contains("/sc"), "{text}");
        assert!(text.contains("60"), "{text}");
        assert!(
            text.contains("\"JSON\"") && text.contains("\"ENABLED\""),
            "{text}"
        );
        let Value::List(blocks) = &read else {
            panic!("a list: {read}")
        };
        assert_eq!(blocks.len(), 1);
    }

    #[test]
    fn a_service_without_the_configuration_reads_as_none() {
        assert_eq!(decode(&service_with(Vec::new())), Value::List(Vec::new()));
        let bare = Deployment::builder().status("PRIMARY").build();
        assert_eq!(decode(&service_with(vec![bare])), Value::List(Vec::new()));
    }
}
