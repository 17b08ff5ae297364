//! More than one certificate on an HTTPS listener (issue 13 §5): a default
//! `certificate` and SNI `certificates`, added and removed in place. On
//! both clouds; on moto the certificates are made in ACM and boto3 checks
//! the listener's certificate list from outside.

mod common;

use common::{Cloud, example};

const HTTPS: &str = r#"
listener https {
  load_balancer = load_balancer.web
  port          = 443
  protocol      = "HTTPS"
  certificate   = "CERT_A"
  certificates  = ["CERT_B", "CERT_C"]
  default       = target_group.blog
}
"#;

const CERTIFICATES: &str = "import boto3\n\
    elb=boto3.client('elbv2')\n\
    lb=elb.describe_load_balancers()['LoadBalancers'][0]['LoadBalancerArn']\n\
    l=[l for l in elb.describe_listeners(LoadBalancerArn=lb)['Listeners'] if l['Port']==443][0]\n\
    print(len(elb.describe_listener_certificates(ListenerArn=l['ListenerArn'])['Certificates']))\n";

#[test]
fn sni_certificates_are_added_and_removed_in_place_on_both_clouds() {
    for cloud in Cloud::both() {
        let p = example("blog");
        let certificates: Vec<String> = match &cloud {
            Cloud::Local => ["a", "b", "c"]
                .iter()
                .map(|c| format!("arn:aws:acm:us-east-1:123456789012:certificate/{c}"))
                .collect(),
            Cloud::Aws(moto) => moto
                .python(
                    "import boto3\nacm=boto3.client('acm')\n\
                     for d in ['a','b','c']:\n\
                     \x20   print(acm.request_certificate(DomainName=d+'.example.com')['CertificateArn'])\n",
                )
                .lines()
                .map(str::to_owned)
                .collect(),
        };
        let listener = HTTPS
            .replace("CERT_A", &certificates[0])
            .replace("CERT_B", &certificates[1])
            .replace("CERT_C", &certificates[2]);
        p.write("https.berth", &listener);
        cloud.berth(&p.dir, &["validate"]).expect_code(0);
        cloud.converges(&p.dir, "apply");
        if let Cloud::Aws(moto) = &cloud {
            assert_eq!(
                moto.python(CERTIFICATES).trim(),
                "3",
                "the default and two SNI certificates"
            );
        }

        p.edit("https.berth", &format!(", \"{}\"]", certificates[2]), "]");
        cloud.plans_one_update(&p.dir, "listener.https");
        cloud.converges(&p.dir, "removing one");
        if let Cloud::Aws(moto) = &cloud {
            assert_eq!(moto.python(CERTIFICATES).trim(), "2");
        }
        cloud.berth(&p.dir, &["destroy", "--auto-approve"]).expect_code(0);
    }
}
