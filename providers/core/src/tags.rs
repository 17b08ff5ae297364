/// Tag naming the stack that owns a resource. Set in the create call itself.
pub const STACK_TAG: &str = "berth:stack";
/// Tag holding a resource's address within its stack, e.g. `service.login`.
pub const ADDRESS_TAG: &str = "berth:address";
