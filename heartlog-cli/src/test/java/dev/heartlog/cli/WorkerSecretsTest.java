package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.heartlog.store.LogFilter;
import dev.heartlog.store.Store;
import dev.heartlog.store.StoredRecord;
import dev.heartlog.store.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * heartlog's credentials and the worker heartlog run wraps: the variables that hold them are not
 * passed on, and what the worker prints of them is stored masked.
 */
@Timeout(60)
class WorkerSecretsTest {

  private static final Path PYTHON = Path.of("/usr/bin/python3");

  @TempDir Path folder;

  @Test
  void aWrappedWorkerIsNotGivenHeartlogsCredentialsAndWhatItPrintsOfThemIsStoredMasked() throws IOException {
    String url = TestDatabase.migratedUrl();   // the embedded server trusts every login, whatever its password
    String password = "render-fleet-db-7Qx";
    Path worker = folder.resolve("worker.sh");
    Files.writeString(worker, String.join("\n",
        "echo \"given: [$HEARTLOG_DB_PASSWORD] [$HEARTLOG_KEY] [$HEARTLOG_WORKER_ID]\"",
        "echo 'connecting to postgresql://render:" + password + "@db.internal/jobs' >&2",
        "exit 4", ""));

    Cli.Result result = Cli.runInItsOwnJvm(
        Map.of("HEARTLOG_DB_PASSWORD", password, "HEARTLOG_KEY", "sb_secret_unused_here", "HEARTLOG_WORKER_ID", "secrets-1"),
        "run", "--db-url", url, "--home", folder.resolve("home").toString(), "--",
        "sh", worker.toString(), "--password", password);

    assertThat(result.exitCode()).as(result.err()).isEqualTo(4);
    assertThat(result.out()).as("heartlog's other settings are passed on").contains("given: [] [] [secrets-1]");
    assertThat(result.err()).as("the terminal shows what the worker printed")
        .contains("connecting to postgresql://render:" + password + "@db.internal/jobs");
    List<StoredRecord> records = Store.open(url, null, null).logs(new LogFilter("secrets-1", null, null, null, null, null, 100));
    assertThat(records).extracting(StoredRecord::message)
        .contains("connecting to postgresql://render:***@db.internal/jobs");
    assertThat(records).allSatisfy(record -> assertThat(record.message() + record.metadataJson() + record.exception())
        .doesNotContain(password));
    assertThat(records).anySatisfy(record -> assertThat(record.metadataJson())
        .contains("--password ***").contains("connecting to postgresql://render:***@db.internal/jobs"));
  }

  @Test
  void theWorkersOwnSecretsNamedByMaskVariableAreStoredMaskedAndStillGiven() throws IOException {
    String url = TestDatabase.migratedUrl();
    String token = "hf_kXq3vT9mPzL2wQ8rY5nB";
    String replicateToken = "r8_Vb2cF9dKq1LmN4pZx7";
    Path worker = folder.resolve("worker.sh");
    Files.writeString(worker, String.join("\n",
        "echo \"GET https://huggingface.co/api/models with token $HF_TOKEN\"",
        "echo \"replicate: $REPLICATE_API_TOKEN\" >&2",
        "echo \"region $AWS_REGION\"", ""));

    Cli.Result result = Cli.runInItsOwnJvm(
        Map.of("HF_TOKEN", token, "REPLICATE_API_TOKEN", replicateToken, "AWS_REGION", "us-east-1",
            "HEARTLOG_MASK_VARIABLES", "*_API_TOKEN", "HEARTLOG_WORKER_ID", "secrets-2"),
        "run", "--db-url", url, "--home", folder.resolve("home").toString(), "--mask-variable", "HF_TOKEN,HF_TOKN", "--",
        "sh", worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).as("the worker has its token, and the terminal shows it")
        .contains("GET https://huggingface.co/api/models with token " + token);
    assertThat(result.err()).contains("replicate: " + replicateToken)
        .contains("heartlog: warning: --mask-variable names HF_TOKN, which is not set: nothing of it is masked",
            "heartlog: masked in records: the values of HF_TOKEN, REPLICATE_API_TOKEN");
    List<StoredRecord> records = Store.open(url, null, null).logs(new LogFilter("secrets-2", null, null, null, null, null, 100));
    assertThat(records).extracting(StoredRecord::message).contains(
        "GET https://huggingface.co/api/models with token ***", "replicate: ***", "region us-east-1");
    assertThat(records).allSatisfy(record -> assertThat(record.message() + record.metadataJson() + record.exception())
        .doesNotContain(token).doesNotContain(replicateToken));
  }

  @Test
  void aPasswordTheWorkerPrintsEncodedIsStoredMaskedToo() throws IOException {
    assumeTrue(Files.isExecutable(PYTHON), "python3 is needed");
    String url = TestDatabase.migratedUrl();
    String password = "render@Fleet/2026 \u00fc";
    Path worker = folder.resolve("worker.py");
    Files.writeString(worker, String.join("\n",
        "import base64, json, sys, urllib.parse",
        "password = " + pythonString(password),
        "print('DATABASE_URL=postgresql://render:' + urllib.parse.quote(password, safe='') + '@db.internal/jobs')",
        "print('settings ' + json.dumps({'password': password}))",
        "print('Authorization: Basic ' + base64.b64encode(('render:' + password).encode()).decode(), file=sys.stderr)",
        ""));

    Cli.Result result = Cli.runInItsOwnJvm(Map.of("HEARTLOG_DB_PASSWORD", password, "HEARTLOG_WORKER_ID", "secrets-3"),
        "run", "--db-url", url, "--home", folder.resolve("home").toString(), "--", PYTHON.toString(), worker.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).as("the terminal shows what the worker printed")
        .contains("DATABASE_URL=postgresql://render:render%40Fleet%2F2026%20%C3%BC@db.internal/jobs",
            "settings {\"password\": \"render@Fleet/2026 \\u00fc\"}");
    List<StoredRecord> records = Store.open(url, null, null).logs(new LogFilter("secrets-3", null, null, null, null, null, 100));
    assertThat(records).extracting(StoredRecord::message).contains(
        "DATABASE_URL=postgresql://render:***@db.internal/jobs", "settings {\"password\": \"***\"}");
    assertThat(records).extracting(StoredRecord::message).as("what is left of the header is render: and a letter or two")
        .anySatisfy(message -> assertThat(message).matches("Authorization: Basic cmVuZGVyO[A-Za-z0-9+/]{0,2}\\*\\*\\*[A-Za-z0-9+/=]{0,3}"));
  }

  /** {@code text} as a Python string literal: ASCII, each other character as an escape. */
  private static String pythonString(String text) {
    StringBuilder literal = new StringBuilder("'");
    text.chars().forEach(c -> literal.append(c < 0x80 ? String.valueOf((char) c) : String.format("\\u%04x", c)));
    return literal.append('\'').toString();
  }

  @Test
  void aMaskVariableThatIsNoVariablesNameIsABadFlag() {
    Cli.Result result = Cli.run("run", "--worker", "w", "--mask-variable", "$HF_TOKEN", "--", "true");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).startsWith("heartlog: --mask-variable: '$HF_TOKEN' is not the name of a variable");
  }

  @Test
  void everyCredentialIsMaskedTheLongestFirst() {
    WorkerSecrets secrets = WorkerSecrets.of(List.of("hlw_abcd", "hlw_abcdef"), null, Map.of());

    assertThat(secrets.mask("key hlw_abcdef and hlw_abcd")).isEqualTo("key *** and ***");
    assertThat(secrets.mask(List.of("worker", "--key=hlw_abcd"))).containsExactly("worker", "--key=***");
  }

  @Test
  void aUrlsPasswordIsMaskedAsWrittenAndAsTheDriverReadsIt() {
    WorkerSecrets jdbc = WorkerSecrets.of(List.of(), "jdbc:postgresql://db/jobs?user=render&password=p%40ss-word", Map.of());
    WorkerSecrets uri = WorkerSecrets.of(List.of(), null, Map.of("HEARTLOG_DB_URL", "postgresql://render:p%40ss-word@db:5432/jobs"));

    for (WorkerSecrets secrets : List.of(jdbc, uri)) {
      assertThat(secrets.mask("password=p%40ss-word")).isEqualTo("password=***");
      assertThat(secrets.mask("password p@ss-word")).isEqualTo("password ***");
      assertThat(secrets.mask("user render at db/jobs")).isEqualTo("user render at db/jobs");
    }
  }

  @Test
  void theKeysOfAKeyListAreMaskedEach() {
    WorkerSecrets secrets = WorkerSecrets.of(List.of(), null,
        Map.of("HEARTLOG_WRITER_KEYS", "hlw_first:gpu-,hlw_second", "HEARTLOG_READER_KEYS", "hlr_reader"));

    assertThat(secrets.mask("hlw_first hlw_second hlr_reader gpu-")).isEqualTo("*** *** *** gpu-");
  }

  @Test
  void aPasswordTooShortToHideIsNotMasked() {
    WorkerSecrets secrets = WorkerSecrets.of(List.of("abc", "  ", "abcd"), null, Map.of());

    assertThat(secrets.mask("abc abcd")).isEqualTo("abc ***");
  }

  @Test
  void onlyTheCredentialVariablesAreTakenFromTheWorkersEnvironment() {
    Map<String, String> environment = new HashMap<>(Map.of(
        "HEARTLOG_DB_PASSWORD", "x", "HEARTLOG_TOKEN", "x", "HEARTLOG_JWT_SECRET", "x", "HEARTLOG_WRITER_KEYS", "x",
        "HEARTLOG_WORKER_ID", "gpu-1", "HEARTLOG_DB_URL", "jdbc:postgresql://db/jobs?password=x",
        "SUPABASE_KEY", "the worker's own", "PATH", "/usr/bin"));

    WorkerSecrets.removeFrom(environment);

    assertThat(environment).containsOnlyKeys("HEARTLOG_WORKER_ID", "SUPABASE_KEY", "PATH");
    Map<String, String> withoutPassword = new HashMap<>(Map.of("HEARTLOG_DB_URL", "postgresql://render@db/jobs"));
    WorkerSecrets.removeFrom(withoutPassword);
    assertThat(withoutPassword).as("a URL without a password stays").containsOnlyKeys("HEARTLOG_DB_URL");
  }
}
