//! EFS end to end on both clouds: a file system's mount targets added,
//! moved, given other groups and removed with the file system in place,
//! its lifecycle policy taken off; and an access point under another root
//! directory, a new access point made before the old one goes, the task
//! definition that mounts it following it.

mod common;

use common::Cloud;

const STACK: &str = r#"
stack "files" { region = "us-east-1" }

vpc main { cidr = "10.0.0.0/16" }

subnet a {
  vpc  = vpc.main
  cidr = "10.0.1.0/24"
  zone = "us-east-1a"
}

subnet b {
  vpc  = vpc.main
  cidr = "10.0.2.0/24"
  zone = "us-east-1b"
}

security_group nfs {
  vpc = vpc.main
  ingress { port = 2049  cidr = "10.0.0.0/16" }
}

security_group nfs_strict {
  vpc = vpc.main
  ingress { port = 2049  cidr = "10.0.1.0/24" }
}

efs_file_system content {
  encrypted        = true
  transition_to_ia = "AFTER_30_DAYS"
  mount_target {
    subnet          = subnet.a
    security_groups = [security_group.nfs]
  }
}

efs_access_point content {
  file_system    = efs_file_system.content
  posix_uid      = 33
  posix_gid      = 33
  root_directory = "/wp-content"
  owner_uid      = 33
  owner_gid      = 33
  permissions    = "0755"
}

task_definition wordpress {
  cpu    = 256
  memory = 512
  volume content {
    efs {
      file_system_id     = efs_file_system.content
      transit_encryption = "ENABLED"
      access_point       = efs_access_point.content
    }
  }
  container wordpress {
    image = "wordpress:6"
    mount {
      source_volume  = "content"
      container_path = "/var/www/html/wp-content"
    }
  }
}
"#;

#[test]
fn mount_targets_change_with_their_file_system_in_place_on_both_clouds() {
    for cloud in Cloud::both() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path();
        cloud.apply_clean(dir, STACK, "a file system with one mount target");
        let two = STACK.replace(
            "    security_groups = [security_group.nfs]\n  }\n",
            "    security_groups = [security_group.nfs]\n  }\n  mount_target {\n    subnet          = subnet.b\n    security_groups = [security_group.nfs]\n  }\n",
        );
        cloud.apply_clean(dir, &two, "a second mount target");
        // The first moves off (its zone's subnet gone from the list), the
        // second takes the stricter group, the lifecycle policy goes.
        let changed = STACK
            .replace("subnet          = subnet.a", "subnet          = subnet.b")
            .replace("[security_group.nfs]", "[security_group.nfs_strict]")
            .replace("  transition_to_ia = \"AFTER_30_DAYS\"\n", "");
        std::fs::write(dir.join("main.berth"), &changed).expect("write");
        let plan = cloud.berth(dir, &["plan"]);
        plan.expect_code(0);
        for line in [
            "# efs_file_system.content will be updated in place",
            "~ transition_to_ia = \"AFTER_30_DAYS\" -> null",
        ] {
            assert!(plan.stdout.contains(line), "no `{line}` in:\n{}", plan.stdout);
        }
        assert!(
            !plan.stdout.contains("must be replaced"),
            "nothing is replaced:\n{}",
            plan.stdout
        );
        cloud.converges(dir, "mount targets changed in place");
        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
    }
}

#[test]
fn an_access_point_under_another_root_is_a_new_one_the_task_follows_on_both_clouds() {
    for cloud in Cloud::both() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path();
        cloud.apply_clean(dir, STACK, "an access point a task mounts");
        let moved = STACK.replace("\"/wp-content\"", "\"/uploads\"");
        std::fs::write(dir.join("main.berth"), &moved).expect("write");
        let plan = cloud.berth(dir, &["plan"]);
        plan.expect_code(0);
        for line in [
            "# efs_access_point.content must be replaced (create before destroy)",
            "# task_definition.wordpress must be replaced",
        ] {
            assert!(plan.stdout.contains(line), "no `{line}` in:\n{}", plan.stdout);
        }
        cloud.converges(dir, "the access point replaced");
        cloud.berth(dir, &["destroy", "--auto-approve"]).expect_code(0);
    }
}
