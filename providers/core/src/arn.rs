//! Parts of ARNs other AWS APIs take in place of the whole ARN.

/// The part of a load balancer's or target group's ARN that CloudWatch
/// dimensions and Application Auto Scaling's resource labels name them by
/// (Terraform's `arn_suffix`): `app/NAME/ID` for a load balancer,
/// `targetgroup/NAME/ID` for a target group. `None` for text that is not an
/// ARN.
pub fn elb_suffix(arn: &str) -> Option<&str> {
    let resource = arn.strip_prefix("arn:")?.splitn(5, ':').nth(4)?;
    Some(resource.strip_prefix("loadbalancer/").unwrap_or(resource))
}

/// Whether `text` is an ARN of `service` (`arn:PARTITION:SERVICE:...`).
pub fn is_of(text: &str, service: &str) -> bool {
    let mut parts = text.splitn(4, ':');
    parts.next() == Some("arn")
        && parts.next().is_some_and(|p| !p.is_empty())
        && parts.next() == Some(service)
        && parts.next().is_some_and(|rest| !rest.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_are_what_cloudwatch_names() {
        let lb = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188";
        assert_eq!(elb_suffix(lb), Some("app/web/50dc6c495c0c9188"));
        let tg = "arn:aws-us-gov:elasticloadbalancing:us-gov-west-1:123456789012:targetgroup/blog/73e2d6bc24d8a067";
        assert_eq!(elb_suffix(tg), Some("targetgroup/blog/73e2d6bc24d8a067"));
        assert_eq!(elb_suffix("web"), None);
    }
}
