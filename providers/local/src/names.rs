//! Security group names: EC2 takes them in CreateSecurityGroup and refuses
//! a second group of one name in a VPC (`InvalidGroup.Duplicate`; names
//! are case-insensitive). The
//! other kinds are named by their service modules.

use berth_provider::{Address, Attrs, Kind, ProviderError, Value, naming};

use crate::api::fail;
use crate::attrs::str_of;
use crate::sim::Sim;

/// Sets `attrs.name` to the name the configuration gives, or to a generated
/// one no group of the VPC has; refuses a name the VPC already holds.
pub(crate) fn security_group(
    sim: &mut Sim,
    stack: &str,
    address: &Address,
    attrs: &mut Attrs,
) -> Result<(), ProviderError> {
    let vpc = str_of(attrs, "vpc").unwrap_or_default().to_owned();
    let taken = |sim: &Sim, name: &str| {
        sim.all(Kind::SecurityGroup).any(|(_, r)| {
            str_of(&r.attrs, "vpc") == Some(vpc.as_str())
                && str_of(&r.attrs, "name").is_some_and(|n| n.eq_ignore_ascii_case(name))
        })
    };
    let name = match naming::given(attrs, "name") {
        Some(name) => {
            if taken(sim, name) {
                return Err(fail(
                    "CreateSecurityGroup",
                    "InvalidGroup.Duplicate",
                    format!("The security group '{name}' already exists for VPC '{vpc}'"),
                ));
            }
            name.to_owned()
        }
        None => loop {
            let name = naming::security_group(stack, address, sim.rng.u32(..));
            if !taken(sim, &name) {
                break name;
            }
        },
    };
    attrs.insert("name".to_owned(), Value::String(name));
    Ok(())
}
