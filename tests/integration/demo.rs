use leadhub_domain::SiteProfile;
use leadhub_domain::access::{Role, Scope};
use leadhub_store::{AuditVerification, Casework, DemoSpec};

use crate::support::TestDb;

#[tokio::test]
async fn demo_data_fills_an_empty_database_consistently() {
    let t = TestDb::new().await;
    assert!(t.db.is_empty().await.unwrap());
    let site = SiteProfile::minneapolis().unwrap();
    let places: Vec<String> = site.places.iter().map(|p| p.key.clone()).collect();
    let spec = DemoSpec::sized(1_500, 4_000, 7);
    let summary =
        t.db.seed_demo(&spec, &site.calendar, &places, leadhub_store::now())
            .await
            .unwrap();
    assert_eq!(summary.people, 1_500);
    assert_eq!(summary.participants, 1_000);
    assert_eq!(summary.contacts, 4_000);
    assert!(
        summary.referrals >= summary.people,
        "every person was referred at least once"
    );
    assert_eq!(
        t.db.referral_count().await.unwrap(),
        i64::try_from(summary.referrals).unwrap()
    );
    assert!(!t.db.is_empty().await.unwrap());

    let counts = t.db.demo_counts().await.unwrap();
    assert_eq!(
        counts,
        (1_500, 1_000, 4_000),
        "people, participants, contacts as stored"
    );
    // The seeding, then indexing the 1,500 people for matching in pages of 500.
    assert!(matches!(
        t.db.verify_audit_chain().await.unwrap(),
        AuditVerification::Intact { entries: 4 }
    ));
    let indexed = t
        .query_strings("SELECT CAST(COUNT(DISTINCT person_id) AS TEXT) FROM person_keys")
        .await;
    assert_eq!(indexed, ["1500"], "every demo person can be found");

    // Plans as the plan use cases write them: each goal with its first step, and a first
    // version of both in the history.
    let reader = leadhub_store::Reader {
        id: leadhub_domain::ids::UserId::new(),
        role: Role::ProjectManager,
        organization: None,
    };
    let worker = leadhub_store::Caseworker {
        user: reader.id,
        role: Role::ProjectManager,
        scope: Scope::All,
        organization: None,
        address: "test",
        now: leadhub_store::now(),
    };
    let listed =
        t.db.participants_for(&reader, Scope::All, "test", leadhub_store::now())
            .await
            .unwrap();
    let mut with_goals = 0;
    for (id, _) in listed.iter().take(60) {
        let Casework::Done((_, plan)) = t.db.plan(&worker, *id).await.unwrap() else {
            panic!("the project manager reaches everyone");
        };
        for goal in &plan.goals {
            assert_eq!(goal.steps.len(), 1);
            assert_eq!(goal.history.len(), 2, "goal v1 and step v1");
        }
        with_goals += usize::from(!plan.goals.is_empty());
    }
    assert!(
        (20..60).contains(&with_goals),
        "about two in three: {with_goals}"
    );

    // Legal matters as the legal page reads them: each with its first version and charges.
    let mut with_matters = 0;
    for (id, _) in &listed {
        let Casework::Done(file) = t.db.legal_file(&worker, *id).await.unwrap() else {
            panic!("the project manager reaches everyone");
        };
        for matter in &file.matters {
            assert_eq!(matter.history.len(), 1);
            assert!(!matter.matter.charges.is_empty());
            assert_eq!(
                matter.matter.divertible(),
                matter.matter.charges.iter().all(|c| c.listed.is_some())
            );
        }
        with_matters += usize::from(!file.matters.is_empty());
    }
    assert!(
        listed.len() / 10 < with_matters && with_matters < listed.len() / 3,
        "about one in five: {with_matters} of {}",
        listed.len()
    );
}
