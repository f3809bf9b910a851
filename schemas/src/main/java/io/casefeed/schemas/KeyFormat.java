package io.casefeed.schemas;

/** How a topic's key is formed. Every key is a plain UTF-8 string. */
public enum KeyFormat {
  ACCOUNT_ID("<accountId>", "123456789012"),
  CASE_KEY("<accountId>:<caseId>", "123456789012:case-123456789012-muen-2024-7c2e4ac0d4e86a8f"),
  PIVOT_CELL("<accountId>|<status>|<severity>|<service>|<language>", "123456789012|opened|high|amazon-ec2|en"),
  MAIL_ID("<kind>:<period>:<group>:<recipient>", "digest:2026-11-26T08:00:00Z:ops:ops@example.com"),
  ORIGINAL("the original record's key", "123456789012:case-123456789012-muen-2024-7c2e4ac0d4e86a8f"),
  /** An unreadable Support item: its caseId (blank when it has none) and a SHA-256 of its JSON, which tells versions apart. */
  DEAD_LETTERED_ITEM("<accountId>:<caseId>:<sha256 of the item's JSON, hex>",
      "123456789012:case-123456789012-muen-2024-7c2e4ac0d4e86a8f:3f1c8a0e6b2d4c5f9a7e1b0d2c4f6a8e0b1d3c5e7f9a2b4c6d8e0f1a3b5c7d9e");

  private final String pattern;
  private final String example;

  KeyFormat(String pattern, String example) {
    this.pattern = pattern;
    this.example = example;
  }

  public String pattern() {
    return pattern;
  }

  public String example() {
    return example;
  }
}
