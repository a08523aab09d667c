use leadhub_domain::SiteProfile;
use leadhub_store::{AuditVerification, DemoSpec};

use crate::support::TestDb;

#[tokio::test]
async fn demo_data_fills_an_empty_database_consistently() {
    let t = TestDb::new().await;
    assert!(t.db.is_empty().await.unwrap());
    let site = SiteProfile::minneapolis().unwrap();
    let places: Vec<String> = site.places.iter().map(|p| p.key.clone()).collect();
    let spec = DemoSpec {
        people: 1_500,
        contacts: 4_000,
        seed: 7,
    };
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
    assert!(matches!(
        t.db.verify_audit_chain().await.unwrap(),
        AuditVerification::Intact { entries: 1 }
    ));
}
