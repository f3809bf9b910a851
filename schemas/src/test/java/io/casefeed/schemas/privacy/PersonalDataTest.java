package io.casefeed.schemas.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.schema.CaseChange;
import io.casefeed.schema.CaseDetails;
import io.casefeed.schemas.Topics;
import io.casefeed.schemas.examples.ExampleRecords;
import io.casefeed.schemas.privacy.PersonalData.Treatment;
import org.junit.jupiter.api.Test;

class PersonalDataTest {

  final CaseDetails example = ExampleRecords.caseDetails();

  @Test
  void keepingEverythingChangesNothing() {
    assertThat(PersonalData.KEEP_ALL.apply(example)).isSameAs(example);
  }

  @Test
  void redactsSubjectsBodiesAndAddressesButNotAwsOrTheFactsOfTheCase() {
    CaseDetails redacted = new PersonalData(Treatment.REDACT, Treatment.REDACT, Treatment.REDACT).apply(example);

    assertThat(redacted.getSubject()).isEqualTo("[redacted]");
    assertThat(redacted.getSubmittedBy()).isEqualTo("[redacted]");
    assertThat(redacted.getCcEmailAddresses()).containsExactly("[redacted]");
    assertThat(redacted.getRecentCommunications().get(0).getBody()).isEqualTo("[redacted]");
    assertThat(redacted.getRecentCommunications().get(0).getSubmittedBy()).isEqualTo("Amazon Web Services");
    assertThat(redacted.getStatus()).isEqualTo(example.getStatus());
    assertThat(redacted.getDisplayId()).isEqualTo(example.getDisplayId());
    assertThat(redacted.getTimeCreated()).isEqualTo(example.getTimeCreated());
  }

  @Test
  void hashesAreStableSoEqualValuesStillMatch() {
    PersonalData hashing = new PersonalData(Treatment.KEEP, Treatment.KEEP, Treatment.HASH);
    String once = hashing.apply(example).getSubmittedBy();

    assertThat(once).startsWith("sha256:").hasSize("sha256:".length() + 16).doesNotContain("ops@example.com");
    assertThat(hashing.apply(example).getSubmittedBy()).isEqualTo(once);
    assertThat(hashing.apply(example).getSubject()).isEqualTo(example.getSubject());
  }

  @Test
  void aChangeEventIsTreatedOnBothSides() {
    CaseChange change = (CaseChange) ExampleRecords.byTopic().get(Topics.CASE_CHANGES);
    CaseChange treated = new PersonalData(Treatment.REDACT, Treatment.KEEP, Treatment.KEEP).apply(change);

    assertThat(treated.getCurrent().getSubject()).isEqualTo("[redacted]");
    assertThat(treated.getPrevious().getSubject()).isEqualTo("[redacted]");
    assertThat(treated.getEventId()).isEqualTo(change.getEventId());
  }
}
