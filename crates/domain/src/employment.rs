//! Employment status, with exactly the values Solaris' person API accepts.

use serde::{Deserialize, Serialize};

use crate::field_error::Problem;

/// The customer's employment status (Solaris `employment_status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[allow(missing_docs)] // Solaris' own names
pub enum EmploymentStatus {
    Employed,
    Unemployed,
    PublicSectorEmployee,
    ProfessionalSoldier,
    Freelancer,
    Housework,
    Apprentice,
    Management,
    Retired,
    Student,
    SelfEmployed,
    MilitaryOrCommunityService,
}

impl EmploymentStatus {
    /// Every status, in the order Solaris lists them.
    pub const ALL: [EmploymentStatus; 12] = [
        EmploymentStatus::Employed,
        EmploymentStatus::Unemployed,
        EmploymentStatus::PublicSectorEmployee,
        EmploymentStatus::ProfessionalSoldier,
        EmploymentStatus::Freelancer,
        EmploymentStatus::Housework,
        EmploymentStatus::Apprentice,
        EmploymentStatus::Management,
        EmploymentStatus::Retired,
        EmploymentStatus::Student,
        EmploymentStatus::SelfEmployed,
        EmploymentStatus::MilitaryOrCommunityService,
    ];

    /// Solaris' value, e.g. `PUBLIC_SECTOR_EMPLOYEE`.
    pub fn code(self) -> &'static str {
        match self {
            EmploymentStatus::Employed => "EMPLOYED",
            EmploymentStatus::Unemployed => "UNEMPLOYED",
            EmploymentStatus::PublicSectorEmployee => "PUBLIC_SECTOR_EMPLOYEE",
            EmploymentStatus::ProfessionalSoldier => "PROFESSIONAL_SOLDIER",
            EmploymentStatus::Freelancer => "FREELANCER",
            EmploymentStatus::Housework => "HOUSEWORK",
            EmploymentStatus::Apprentice => "APPRENTICE",
            EmploymentStatus::Management => "MANAGEMENT",
            EmploymentStatus::Retired => "RETIRED",
            EmploymentStatus::Student => "STUDENT",
            EmploymentStatus::SelfEmployed => "SELF_EMPLOYED",
            EmploymentStatus::MilitaryOrCommunityService => "MILITARY_OR_COMMUNITY_SERVICE",
        }
    }

    /// Reads Solaris' value (case-sensitive, as Solaris is).
    pub fn parse(code: &str) -> Result<EmploymentStatus, Problem> {
        if code.is_empty() {
            return Err(Problem::Required);
        }
        EmploymentStatus::ALL
            .into_iter()
            .find(|s| s.code() == code)
            .ok_or(Problem::UnknownValue)
    }

    /// Freelancers and the self-employed need a NACE code (or `industry` and `industry_key`
    /// set to null) when this status is set, as the guide's PATCH rules say.
    pub fn needs_nace_code(self) -> bool {
        matches!(
            self,
            EmploymentStatus::Freelancer | EmploymentStatus::SelfEmployed
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_serde_and_parse_back() {
        for status in EmploymentStatus::ALL {
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.code()));
            assert_eq!(EmploymentStatus::parse(status.code()), Ok(status));
        }
        assert_eq!(
            EmploymentStatus::parse("employed"),
            Err(Problem::UnknownValue)
        );
        assert_eq!(EmploymentStatus::parse(""), Err(Problem::Required));
    }

    #[test]
    fn only_freelancers_and_self_employed_need_a_nace_code() {
        let needing: Vec<_> = EmploymentStatus::ALL
            .into_iter()
            .filter(|s| s.needs_nace_code())
            .collect();
        assert_eq!(
            needing,
            [EmploymentStatus::Freelancer, EmploymentStatus::SelfEmployed]
        );
    }
}
