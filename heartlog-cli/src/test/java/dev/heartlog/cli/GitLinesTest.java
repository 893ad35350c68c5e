package dev.heartlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.heartlog.agent.Level;
import dev.heartlog.store.StoredRecord;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * git's lines, as heartlog run stores them ({@link GitLines}). The replayed lines are what
 * Debian's git 2.39.5 printed on stderr for {@code git init}, three clones (one of an empty
 * repository), a fetch, a pull, a checkout of a commit and back, a new branch, then a clone of
 * a repository that does not exist and a checkout of a branch that does not.
 */
class GitLinesTest {

  @TempDir Path folder;

  @Test
  void itsHintsAndItsNoteOnADetachedHeadAreOneInfoEachItsReportsInfoAndItsErrorsKeepTheirLevel() throws Exception {
    List<StoredRecord> records = WrappedWorkers.replayedOnStderr(folder, "git-2.39.5.txt", "git-replayed");

    // Before, each of its 43 lines but the blank ones was a warning.
    assertThat(records).extracting(StoredRecord::level, StoredRecord::message).containsExactly(
        tuple("INFO", """
            Using 'master' as the name for the initial branch. This default branch name
            is subject to change. To configure the initial branch name to use in all
            of your new repositories, which will suppress this warning, call:

            \tgit config --global init.defaultBranch <name>

            Names commonly chosen instead of 'master' are 'main', 'trunk' and
            'development'. The just-created branch can be renamed via this command:

            \tgit branch -m <name>"""),
        tuple("INFO", "Cloning into '/tmp/gd2'..."),
        tuple("INFO", "Cloning into '/tmp/gc'..."),
        tuple("INFO", "done."),
        tuple("INFO", "Cloning into '/tmp/ge'..."),
        tuple("WARNING", "You appear to have cloned an empty repository."),
        tuple("INFO", "done."),
        tuple("INFO", "From /tmp/gs"),
        tuple("INFO", " * [new branch]        main       -> up/main"),
        tuple("INFO", "From /tmp/gs"),
        tuple("INFO", " * branch              main       -> FETCH_HEAD"),
        tuple("INFO", """
            Note: switching to 'HEAD~1'.

            You are in 'detached HEAD' state. You can look around, make experimental
            changes and commit them, and you can discard any commits you make in this
            state without impacting any branches by switching back to a branch.

            If you want to create a new branch to retain commits you create, you may
            do so (now or later) by using -c with the switch command. Example:

              git switch -c <new-branch-name>

            Or undo this operation with:

              git switch -

            Turn off this advice by setting config variable advice.detachedHead to false"""),
        tuple("INFO", "HEAD is now at e15e97ff Tests: three test JVMs per module, not two"),
        tuple("INFO", "Previous HEAD position was e15e97ff Tests: three test JVMs per module, not two"),
        tuple("INFO", "Switched to branch 'main'"),
        tuple("INFO", "Switched to a new branch 'feat'"),
        tuple("CRITICAL", "repository '/nonexist' does not exist"),
        tuple("ERROR", "pathspec 'nosuch' did not match any file(s) known to git"));
    assertThat(records.get(1).metadataJson()).contains("\"component\": \"git\"");
  }

  @Test
  void aHintWrittenLineByLineIsStillOneRecordButTheNotesAdviceIsOnlyWhatCameInItsRead() {
    GitLines git = new GitLines();

    // git writes a hint's lines one by one: each may come in a read of its own
    assertThat(git.parse("hint: Using 'master' as the name", "stderr", 1, false).message()).isEqualTo("Using 'master' as the name");
    assertThat(git.continuesRecord()).isFalse();
    assertThat(git.moreFollows()).isTrue();
    assertThat(git.parse("hint:", "stderr", 2, false).message()).isEmpty();
    assertThat(git.continuesRecord()).isTrue();
    assertThat(git.parse("hint: \tgit branch -m <name>", "stderr", 3, false).message()).isEqualTo("\tgit branch -m <name>");
    assertThat(git.continuesRecord()).isTrue();

    // and its note in one write, after which a line of a later read is a line of its own
    ChildLineParser.Parsed note = git.parse("Note: switching to '1a2b3c4'.", "stderr", 4, false);
    assertThat(note.level()).isEqualTo(Level.INFO);
    assertThat(git.continuesRecord()).isFalse();
    assertThat(git.parse("You are in 'detached HEAD' state.", "stderr", 4, false)).isNotNull();
    assertThat(git.continuesRecord()).isTrue();
    assertThat(git.parse("Traceback (most recent call last):", "stderr", 5, false)).isNull();
    assertThat(git.continuesRecord()).isFalse();

    // nor is a line that merely begins so a hint, nor a done. far from a clone
    assertThat(git.parse("hints: none", "stderr", 6, false)).isNull();
    assertThat(git.parse("done.", "stderr", 6, false)).isNull();
    assertThat(git.parse("From the start of the run", "stderr", 6, false)).isNull();
    assertThat(git.parse(" ! [rejected]        main -> main (non-fast-forward)", "stderr", 6, false)).isNull();

    // A hint written with the line before it is more of that line's message: pip's box ends so
    assertThat(git.parse("hint: See above for details.", "stderr", 7, true)).isNull();
    assertThat(git.parse("hint: and this too", "stderr", 7, true)).isNull();
  }
}
