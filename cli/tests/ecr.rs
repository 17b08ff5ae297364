//! ECR repositories (issue 14 §2): scanning, tag immutability and a
//! lifecycle policy written from `lifecycle_rule` blocks; a task definition
//! names the repository's URL. On both clouds the stack applies, re-plans
//! clean, changes in place and destroys; on moto boto3 checks the
//! repository and its lifecycle policy from outside.

mod common;

use std::path::Path;

use common::{Cloud, Project, copy_of, splice};

fn project() -> Project {
    copy_of(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ecr"))
}

const DESCRIBE: &str = "import boto3,json\n\
    ecr=boto3.client('ecr')\n\
    r=[r for r in ecr.describe_repositories()['repositories'] if r['repositoryName']=='registry-app']\n\
    out={'found':len(r)}\n\
    if r:\n\
    \x20   r=r[0]\n\
    \x20   p=json.loads(ecr.get_lifecycle_policy(repositoryName='registry-app')['lifecyclePolicyText'])\n\
    \x20   ecs=boto3.client('ecs')\n\
    \x20   td=ecs.describe_task_definition(taskDefinition=ecs.list_task_definitions()['taskDefinitionArns'][-1])['taskDefinition']\n\
    \x20   out.update(scan=r['imageScanningConfiguration']['scanOnPush'],mutability=r['imageTagMutability'],\
    rules=[(x['rulePriority'],x['selection']['tagStatus'],x['selection']['countType'],x['selection']['countNumber']) for x in p['rules']],\
    image=td['containerDefinitions'][0]['image']==r['repositoryUri']+':v1')\n\
    print(json.dumps(out,sort_keys=True))\n";

#[test]
fn a_repository_applies_replans_clean_changes_in_place_and_goes_on_both_clouds() {
    for cloud in Cloud::both() {
        let p = project();
        cloud.berth(&p.dir, &["validate"]).expect_code(0);
        cloud.converges(&p.dir, "apply");
        if let Cloud::Aws(moto) = &cloud {
            let seen: serde_json::Value = serde_json::from_str(moto.python(DESCRIBE).trim()).expect("json");
            assert_eq!(
                seen,
                serde_json::json!({
                    "found": 1, "scan": false, "mutability": "IMMUTABLE", "image": true,
                    "rules": [[1, "untagged", "sinceImagePushed", 14],
                              [2, "tagged", "imageCountMoreThan", 20],
                              [3, "any", "imageCountMoreThan", 100]],
                })
            );
        }

        // Turned on, not off: the SDK leaves out a false `scanOnPush`,
        // which AWS reads as false and moto as "no change".
        p.edit("main.berth", "scan_on_push   = false", "scan_on_push   = true");
        p.edit("main.berth", "\"IMMUTABLE\"", "\"MUTABLE\"");
        p.edit("main.berth", "count        = 20", "count        = 30");
        cloud.plans_one_update(&p.dir, "ecr_repository.app");
        cloud.converges(&p.dir, "the change");
        cloud.berth(&p.dir, &["destroy", "--auto-approve"]).expect_code(0);
        if let Cloud::Aws(moto) = &cloud {
            assert_eq!(moto.python(DESCRIBE).trim(), r#"{"found": 0}"#);
        }
    }
}

/// Terraform's `force_delete`: a repository holding images goes with them
/// only when told to. Off, ECR refuses (moto holds the image boto3 pushed;
/// the local cloud holds no images, so there only the flag's round trip
/// and its change in place are checked); turned on in place (a tag of
/// berth's: ECR keeps no field for it), destroy deletes the repository
/// and its images.
#[test]
fn a_repository_with_images_goes_only_with_force_delete() {
    const REPOSITORY: &str = "stack \"images\" { region = \"us-east-1\" }\n\
                              ecr_repository app { force_delete = false }\n";
    const PUSH: &str = "import boto3,json\n\
        m={'schemaVersion':2,'mediaType':'application/vnd.docker.distribution.manifest.v2+json','config':{'mediaType':'application/vnd.docker.container.image.v1+json','size':7023,'digest':'sha256:'+'a'*64},'layers':[]}\n\
        boto3.client('ecr').put_image(repositoryName='images-app',imageManifest=json.dumps(m),imageTag='v1')\n\
        print('pushed')\n";
    const LEFT: &str = "import boto3\n\
        print(len([r for r in boto3.client('ecr').describe_repositories()['repositories'] if r['repositoryName']=='images-app']))\n";
    for cloud in Cloud::both() {
        let dir = tempfile::tempdir().expect("temp dir");
        let dir = dir.path();
        cloud.apply_clean(dir, REPOSITORY, "a repository");
        if let Cloud::Aws(moto) = &cloud {
            assert_eq!(moto.python(PUSH).trim(), "pushed");
            let destroy = cloud.berth(dir, &["destroy", "--auto-approve"]);
            assert_ne!(destroy.code, Some(0), "{}", destroy.all());
            assert!(
                destroy.all().contains("RepositoryNotEmptyException"),
                "{}",
                destroy.all()
            );
        }
        std::fs::write(dir.join("main.berth"), REPOSITORY.replace("false", "true")).expect("write");
        cloud.plans_one_update(dir, "ecr_repository.app");
        cloud.converges(dir, "force_delete turned on");
        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
        if let Cloud::Aws(moto) = &cloud {
            assert_eq!(moto.python(LEFT).trim(), "0");
        }
    }
}

/// A repository policy (Terraform's `aws_ecr_repository_policy`): another
/// account may pull. Written as JSON text (as `jsonencode` leaves it) it
/// applies and re-plans clean; rewritten as a map naming a second account,
/// and then removed, each is one update in place, on both clouds; on moto
/// boto3 reads the policy ECR holds.
#[test]
fn a_repository_policy_lets_other_accounts_pull_and_changes_in_place_on_both_clouds() {
    const STACK: &str = r#"stack "shared-images" { region = "us-east-1" }
ecr_repository app {
  policy = "{\"Version\":\"2008-10-17\",\"Statement\":[{\"Sid\":\"Pull\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111111111111:root\"},\"Action\":[\"ecr:BatchGetImage\",\"ecr:GetDownloadUrlForLayer\"]}]}"
}
"#;
    const MAP: &str = r#"  policy = {
    Version = "2008-10-17"
    Statement = [{
      Sid       = "Pull"
      Effect    = "Allow"
      Principal = { AWS = ["arn:aws:iam::111111111111:root", "arn:aws:iam::222222222222:root"] }
      Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    }]
  }
"#;
    const HELD: &str = "import boto3,json\n\
        ecr=boto3.client('ecr')\n\
        try:\n\
        \x20   p=json.loads(ecr.get_repository_policy(repositoryName='shared-images-app')['policyText'])\n\
        \x20   a=p['Statement'][0]['Principal']['AWS']\n\
        \x20   print(json.dumps(sorted([a] if isinstance(a,str) else a)))\n\
        except ecr.exceptions.RepositoryPolicyNotFoundException:\n\
        \x20   print('none')\n";
    for cloud in Cloud::both() {
        let dir = tempfile::tempdir().expect("temp dir");
        let dir = dir.path();
        cloud.apply_clean(dir, STACK, "a policy written as JSON");
        if let Cloud::Aws(moto) = &cloud {
            assert_eq!(moto.python(HELD).trim(), r#"["arn:aws:iam::111111111111:root"]"#);
        }
        std::fs::write(dir.join("main.berth"), splice(STACK, "  policy", "\n", MAP)).expect("write");
        cloud.plans_one_update(dir, "ecr_repository.app");
        cloud.converges(dir, "a second account");
        if let Cloud::Aws(moto) = &cloud {
            assert_eq!(
                moto.python(HELD).trim(),
                r#"["arn:aws:iam::111111111111:root", "arn:aws:iam::222222222222:root"]"#
            );
        }
        std::fs::write(dir.join("main.berth"), splice(STACK, "  policy", "\n", "")).expect("write");
        cloud.plans_one_update(dir, "ecr_repository.app");
        cloud.converges(dir, "the policy removed");
        if let Cloud::Aws(moto) = &cloud {
            assert_eq!(moto.python(HELD).trim(), "none");
        }
        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
    }
}

/// An output reading an element of what a function makes of a value known
/// after apply, `split("/", ...repository_url)[0]` (the registry, as
/// sjansen's ambassador outputs it), is that element once applied, as
/// `element(split(...), 0)` was.
#[test]
fn an_output_indexes_a_function_of_values_known_after_apply() {
    const STACK: &str = r#"stack "registry-out" { region = "us-east-1" }
resource "aws_ecr_repository" "a" { name = "registry-out-a" }
output "registry" { value = split("/", aws_ecr_repository.a.repository_url)[0] }
output "same" { value = element(split("/", aws_ecr_repository.a.repository_url), 0) }
output "name" { value = { url = aws_ecr_repository.a.repository_url }["url"] }
"#;
    for cloud in Cloud::both() {
        let tmp = tempfile::tempdir().expect("temp dir");
        std::fs::write(tmp.path().join("main.berth"), STACK).expect("write");
        let dir = tmp.path();
        cloud.berth(dir, &["apply", "--auto-approve"]).expect_code(0);
        let out = cloud.berth(dir, &["output", "--format", "json"]);
        out.expect_code(0);
        let outputs: serde_json::Value = serde_json::from_str(&out.stdout).expect("outputs JSON");
        let registry = outputs["outputs"]["registry"]["value"]
            .as_str()
            .expect("registry");
        assert!(
            registry.ends_with(".amazonaws.com") && !registry.contains('/'),
            "{registry}"
        );
        assert_eq!(outputs["outputs"]["same"]["value"], registry);
        let url = outputs["outputs"]["name"]["value"].as_str().expect("url");
        assert_eq!(url, format!("{registry}/registry-out-a"));
        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
    }
}
