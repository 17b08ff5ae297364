//! Fargate's task sizes, which validate and the local cloud both hold a
//! task definition to, and the spellings of them ECS takes: CPU units or
//! vCPUs (`256`, `"256"`, `"0.25 vCPU"`), memory in MiB or GB (`512`,
//! `"512"`, `"0.5GB"`, `"2 GB"`), as CloudFormation and Terraform pass them
//! on as strings.

/// The memory sizes (MiB) Fargate pairs with `cpu` units; none for a CPU
/// size Fargate does not have.
pub fn memory_sizes(cpu: i64) -> Option<Vec<i64>> {
    let range = |from: i64, to: i64, step: i64| (from..=to).step_by(step as usize).collect();
    Some(match cpu {
        256 => vec![512, 1024, 2048],
        512 => range(1024, 4096, 1024),
        1024 => range(2048, 8192, 1024),
        2048 => range(4096, 16384, 1024),
        4096 => range(8192, 30720, 1024),
        8192 => range(16384, 61440, 4096),
        16384 => range(32768, 122880, 8192),
        _ => return None,
    })
}

/// Whether `memory` MiB is a Fargate size for `cpu` units.
pub fn is_pair(cpu: i64, memory: i64) -> bool {
    memory_sizes(cpu).is_some_and(|sizes| sizes.contains(&memory))
}

/// CPU units of a task's `cpu` written as a string: units (`"256"`) or
/// vCPUs (`"0.25 vCPU"`, `"1 vcpu"`, `"2vCPU"`), 1,024 units a vCPU.
pub fn cpu_units(text: &str) -> Option<i64> {
    scaled(text, &["vcpu"], 1024)
}

/// MiB of a task's `memory` written as a string: MiB (`"512"`) or GB
/// (`"0.5GB"`, `"2 GB"`, `"1 gb"`), 1,024 MiB a GB.
pub fn memory_mib(text: &str) -> Option<i64> {
    scaled(text, &["gb"], 1024)
}

/// A whole number, or a number followed by one of `units` (any case,
/// spaces allowed) times `factor`, when that is whole.
fn scaled(text: &str, units: &[&str], factor: i64) -> Option<i64> {
    let text = text.trim();
    if let Ok(n) = text.parse::<i64>() {
        return Some(n);
    }
    let lower = text.to_ascii_lowercase();
    let number = units.iter().find_map(|u| lower.strip_suffix(u))?.trim_end();
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() && fraction.is_empty()
        || !(whole.chars().chain(fraction.chars()).all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    // In thousandths, exactly: `0.25` vCPU is 256 units, with no float.
    let fraction: String = fraction.chars().chain(std::iter::repeat('0')).take(3).collect();
    if number.split_once('.').is_some_and(|(_, f)| f.len() > 3) {
        return None;
    }
    let thousandths = whole.parse::<i64>().unwrap_or(0).checked_mul(1000)? + fraction.parse::<i64>().ok()?;
    let scaled = thousandths.checked_mul(factor)?;
    (scaled % 1000 == 0).then_some(scaled / 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fargate_pairs() {
        assert!(is_pair(256, 512) && is_pair(256, 2048) && is_pair(1024, 3072));
        assert!(is_pair(16384, 122880) && is_pair(8192, 20480));
        assert!(!is_pair(256, 4096) && !is_pair(512, 512) && !is_pair(300, 1024));
        assert!(!is_pair(8192, 18432));
    }

    #[test]
    fn sizes_as_ecs_takes_them_written() {
        assert_eq!(cpu_units("256"), Some(256));
        assert_eq!(cpu_units("0.25 vCPU"), Some(256));
        assert_eq!(cpu_units(".5 vcpu"), Some(512));
        assert_eq!(cpu_units("2vCPU"), Some(2048));
        assert_eq!(memory_mib("0.5GB"), Some(512));
        assert_eq!(memory_mib("2 GB"), Some(2048));
        assert_eq!(memory_mib("3072"), Some(3072));
        for bad in ["", "vCPU", "1 GB", "0.1 vCPU", "a vCPU", "1.2345 vCPU", "-1 vCPU"] {
            assert_eq!(cpu_units(bad), None, "{bad}");
        }
        assert_eq!(memory_mib("1 vCPU"), None);
    }
}
