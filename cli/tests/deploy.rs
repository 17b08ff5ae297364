//! `berth deploy`: CI ships a new image without the next `apply`
//! reverting it; a later change of the image in the configuration is still
//! a real change. On the local cloud and on moto.

mod common;

use common::{Cloud, example};

#[test]
fn a_deployed_image_stays_until_the_configuration_changes_it() {
    for cloud in Cloud::both() {
        let p = example("blog");
        cloud.berth(&p.dir, &["apply", "--auto-approve"]).expect_code(0);
        let image = "example.com/login:build-42";
        let run = cloud.berth(&p.dir, &["deploy", "--service", "login", "--image", image]);
        run.expect_code(0);
        assert!(
            run.stdout
                .contains(&format!("Deployed {image} to service.login (container app): ")),
            "{}",
            run.stdout
        );

        // Nothing to change: plan is clean and apply reverts nothing.
        let plan = cloud.berth(&p.dir, &["plan", "--detailed-exitcode"]);
        plan.expect_code(0);
        cloud.berth(&p.dir, &["apply", "--auto-approve"]).expect_code(0);
        let again = cloud.berth(
            &p.dir,
            &["deploy", "--service", "service.login", "--image", image],
        );
        again.expect_code(0);
        assert!(again.stdout.contains("already runs"), "{}", again.stdout);

        // The configuration names another image: a real change, from the
        // deployed image.
        p.edit("main.berth", "login:${var.env}\"", "login:v2\"");
        let plan = cloud.berth(&p.dir, &["plan", "--detailed-exitcode"]);
        plan.expect_code(2);
        assert!(plan.stdout.contains(image), "{}", plan.stdout);
        assert!(plan.stdout.contains("login:v2"), "{}", plan.stdout);
        cloud.berth(&p.dir, &["apply", "--auto-approve"]).expect_code(0);
        cloud
            .berth(&p.dir, &["plan", "--detailed-exitcode"])
            .expect_code(0);

        let unknown = cloud.berth(&p.dir, &["deploy", "--service", "nope", "--image", image]);
        unknown.expect_code(1);
        assert!(
            unknown
                .stderr
                .contains("has no live service \"nope\" (its services: service.login)"),
            "{}",
            unknown.stderr
        );
        let container = cloud.berth(
            &p.dir,
            &[
                "deploy",
                "--service",
                "login",
                "--image",
                image,
                "--container",
                "web",
            ],
        );
        container.expect_code(1);
        assert!(
            container
                .stderr
                .contains("has no container \"web\" (its containers: app)"),
            "{}",
            container.stderr
        );
    }
}
