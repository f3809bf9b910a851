package io.casefeed.localcloud.athena;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The tokens of one Hive DDL statement, as Athena's DDL engine reads them: words, 'strings' (with
 * Hive's backslash escapes), `quoted` or "quoted" identifiers, and punctuation. Only DDL is
 * tokenised; queries and views go to DuckDB as written.
 */
final class SqlTokens {

  enum Kind { WORD, STRING, IDENTIFIER, PUNCT }

  record Token(Kind kind, String text) {
    boolean is(String word) {
      return kind == Kind.WORD && text.equalsIgnoreCase(word);
    }

    boolean isPunct(String punct) {
      return kind == Kind.PUNCT && text.equals(punct);
    }

    /** A name as Athena stores it: unquoted and quoted names are both lower-cased. */
    String name() {
      return text.toLowerCase(Locale.ROOT);
    }
  }

  private final List<Token> tokens;
  private int next;

  private SqlTokens(List<Token> tokens) {
    this.tokens = tokens;
  }

  static SqlTokens of(String sql) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        while (i < n && sql.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '\'') {
        StringBuilder text = new StringBuilder();
        i++;
        while (true) {
          if (i >= n) {
            throw new HiveDdlException("line " + line(sql, i) + ": unterminated string literal");
          }
          char s = sql.charAt(i);
          if (s == '\\' && i + 1 < n) {
            text.append(sql.charAt(i + 1));
            i += 2;
          } else if (s == '\'' && i + 1 < n && sql.charAt(i + 1) == '\'') {
            text.append('\'');
            i += 2;
          } else if (s == '\'') {
            i++;
            break;
          } else {
            text.append(s);
            i++;
          }
        }
        out.add(new Token(Kind.STRING, text.toString()));
      } else if (c == '`' || c == '"') {
        int end = sql.indexOf(c, i + 1);
        if (end < 0) {
          throw new HiveDdlException("line " + line(sql, i) + ": unterminated quoted identifier");
        }
        out.add(new Token(Kind.IDENTIFIER, sql.substring(i + 1, end)));
        i = end + 1;
      } else if (Character.isLetterOrDigit(c) || c == '_' || c == '$') {
        int start = i;
        while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_' || sql.charAt(i) == '$')) {
          i++;
        }
        out.add(new Token(Kind.WORD, sql.substring(start, i)));
      } else {
        out.add(new Token(Kind.PUNCT, String.valueOf(c)));
        i++;
      }
    }
    while (!out.isEmpty() && out.get(out.size() - 1).isPunct(";")) {
      out.remove(out.size() - 1);
    }
    return new SqlTokens(out);
  }

  private static int line(String sql, int at) {
    return (int) sql.substring(0, Math.min(at, sql.length())).chars().filter(ch -> ch == '\n').count() + 1;
  }

  boolean atEnd() {
    return next >= tokens.size();
  }

  Token peek() {
    return atEnd() ? null : tokens.get(next);
  }

  Token peek(int ahead) {
    return next + ahead < tokens.size() ? tokens.get(next + ahead) : null;
  }

  Token take() {
    if (atEnd()) {
      throw new HiveDdlException("the statement ends too early");
    }
    return tokens.get(next++);
  }

  /** Takes the given words if they come next, all of them; otherwise takes nothing. */
  boolean accept(String... words) {
    for (int k = 0; k < words.length; k++) {
      Token token = peek(k);
      if (token == null || !token.is(words[k])) {
        return false;
      }
    }
    next += words.length;
    return true;
  }

  void expect(String... words) {
    if (!accept(words)) {
      throw new HiveDdlException("expected " + String.join(" ", words) + " but found " + describe(peek()));
    }
  }

  void expectPunct(String punct) {
    Token token = take();
    if (!token.isPunct(punct)) {
      throw new HiveDdlException("expected '" + punct + "' but found " + describe(token));
    }
  }

  boolean acceptPunct(String punct) {
    Token token = peek();
    if (token != null && token.isPunct(punct)) {
      next++;
      return true;
    }
    return false;
  }

  String string() {
    Token token = take();
    if (token.kind() != Kind.STRING) {
      throw new HiveDdlException("expected a 'string' but found " + describe(token));
    }
    return token.text();
  }

  /** A name, unquoted or in backticks or double quotes, lower-cased as Athena stores it. */
  String name() {
    Token token = take();
    if (token.kind() != Kind.WORD && token.kind() != Kind.IDENTIFIER) {
      throw new HiveDdlException("expected a name but found " + describe(token));
    }
    return token.name();
  }

  static String describe(Token token) {
    if (token == null) {
      return "the end of the statement";
    }
    return switch (token.kind()) {
      case STRING -> "'" + token.text() + "'";
      case IDENTIFIER -> "`" + token.text() + "`";
      default -> "'" + token.text() + "'";
    };
  }
}
