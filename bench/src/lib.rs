//! What the benchmarks share: the generated stack and the peak-memory
//! reading.

use std::fmt::Write;

/// One group: a VPC with two subnets, an internet gateway and a route
/// table, a security group, a load balancer, a target group, a listener, a
/// log group, a task definition and a service.
pub const PER_GROUP: usize = 12;

fn group(out: &mut String, g: usize) {
    let octet = g % 250;
    let _ = write!(
        out,
        r#"
vpc v{g} {{ cidr = "10.{octet}.0.0/16" }}
subnet a{g} {{
  vpc  = vpc.v{g}
  cidr = "10.{octet}.1.0/24"
  zone = "us-east-1a"
}}
subnet b{g} {{
  vpc  = vpc.v{g}
  cidr = "10.{octet}.2.0/24"
  zone = "us-east-1b"
}}
internet_gateway i{g} {{ vpc = vpc.v{g} }}
route_table r{g} {{
  vpc     = vpc.v{g}
  subnets = [subnet.a{g}, subnet.b{g}]
  route {{ cidr = "0.0.0.0/0"  gateway = internet_gateway.i{g} }}
}}
security_group s{g} {{
  vpc = vpc.v{g}
  ingress {{ port = 80  cidr = "0.0.0.0/0" }}
}}
load_balancer l{g} {{
  subnets         = [subnet.a{g}, subnet.b{g}]
  security_groups = [security_group.s{g}]
}}
target_group t{g} {{
  vpc         = vpc.v{g}
  port        = 8080
  target_type = "ip"
  health_check {{ path = "/health" }}
}}
listener h{g} {{
  load_balancer = load_balancer.l{g}
  port          = 80
  default       = target_group.t{g}
  rule api {{ priority = 10  path = "/api/*"  forward = target_group.t{g} }}
}}
log_group g{g} {{ retention_days = 7 }}
task_definition d{g} {{
  cpu            = 256
  memory         = 512
  execution_role = role.exec
  container app {{
    image = "registry/app:${{var.env}}"
    port  = 8080
    env   = {{ SERVICE = "s{g}" }}
    logs  = log_group.g{g}
  }}
}}
service svc{g} {{
  cluster         = cluster.main
  task_definition = task_definition.d{g}
  subnets         = [subnet.a{g}, subnet.b{g}]
  security_groups = [security_group.s{g}]
  load_balancer {{ target_group = target_group.t{g}  container = "app"  port = 8080 }}
}}
"#
    );
}

/// A stack of about `resources` resources: groups of [`PER_GROUP`], plus
/// a cluster and a role they share.
pub fn stack(resources: usize) -> String {
    let mut out = String::from(
        "variable env { default = \"dev\" }\nstack \"bench\" { region = \"us-east-1\" }\ncluster main {}\n\
         role exec {\n  assume   = \"ecs-tasks.amazonaws.com\"\n  policies = [\"arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy\"]\n}\n",
    );
    for g in 0..resources / PER_GROUP {
        group(&mut out, g);
    }
    out
}

/// Peak resident set size in MiB, from /proc (Linux).
pub fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}
