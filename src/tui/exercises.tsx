/**
 * Exercises, rustlings-style: a list with status; opening one copies its starter into the
 * workdir, shows the statement and grades the file — again every time the learner saves it
 * (fs.watch on the folder, debounced). Keys: h hint, n next, l list, x reset (backs the file up),
 * c check now, q quit.
 */
import { Box, Text, useInput } from "ink";
import { watch, type FSWatcher } from "node:fs";
import { basename, dirname, relative } from "node:path";
import { useEffect, useRef, useState } from "react";
import { gradeExercise } from "../learn/session/sources.js";
import { topicTitle } from "../learn/session/select.js";
import { readExerciseCode, resetExercise, startExercise } from "../learn/session/workspace.js";
import type { Exercise, ExerciseResult } from "../learn/types.js";
import { Footer, Header, listWindow, MenuLine, plain, ProgressBar, useColumns, useRows } from "./components.js";
import { useDeps } from "./context.js";
import { useLive } from "./hooks.js";

function statusOf(status: "started" | "passed" | undefined): string {
  return status === "passed" ? "✓ passed" : status === "started" ? "• started" : "  new";
}

export function ExercisesScreen({ onBack }: { onBack: () => void }) {
  const { data, store, graders, workdir, watch: watchEnabled, debounceMs, theme, now } = useDeps();
  const list = data.exercises;
  const [cursor, setCursor, getCursor] = useLive(0);
  const [openId, setOpenId, getOpenId] = useLive<string | undefined>(undefined);
  const [file, setFile] = useState<string | undefined>();
  const [result, setResult] = useState<ExerciseResult | undefined>();
  const [checking, setChecking] = useState(false);
  const [notice, setNotice] = useState<string | undefined>();
  const [, setVersion] = useState(0);
  const run = useRef(0);
  const mounted = useRef(true);
  const ex = list.find((e) => e.id === openId);
  const rows = useRows();
  const cols = useColumns();

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const check = (target: Exercise) => {
    // A debounced save event of the previous exercise may fire after switching: ignore it.
    if (getOpenId() !== target.id) return;
    const id = ++run.current;
    setChecking(true);
    const code = readExerciseCode(workdir, target);
    if (code === undefined) {
      setChecking(false);
      setResult({ passed: false, score: 0, messages: ["the exercise file is missing: press x to restore the starter"], durationMs: 0 });
      return;
    }
    void gradeExercise(graders, target, code).then((res) => {
      if (!mounted.current || id !== run.current || getOpenId() !== target.id) return;
      store.exerciseChecked(target.id, res);
      setResult(res);
      setChecking(false);
    });
  };

  const open = (target: Exercise) => {
    try {
      const out = startExercise(workdir, target);
      store.exerciseStarted(target.id);
      setFile(out.file);
      const rel = relative(process.cwd(), out.file);
      setNotice(out.created ? `Created ${rel.startsWith("..") ? out.file : rel} from the starter.` : undefined);
    } catch (e) {
      setNotice(`cannot create the exercise file: ${(e as Error).message}`);
      return;
    }
    setOpenId(target.id);
    setResult(undefined);
    check(target);
  };

  // Watch mode: re-grade when the learner saves. Editors often replace the file (write a temp,
  // rename), so the folder is watched and events are filtered by name.
  useEffect(() => {
    if (!ex || !file || !watchEnabled) return;
    let timer: NodeJS.Timeout | undefined;
    let w: FSWatcher | undefined;
    try {
      w = watch(dirname(file), (_event, name) => {
        if (name !== null && name.toString() !== basename(file)) return;
        clearTimeout(timer);
        timer = setTimeout(() => check(ex), debounceMs);
      });
      w.on("error", () => {});
    } catch {
      /* watching unsupported: c still checks */
    }
    return () => {
      clearTimeout(timer);
      w?.close();
    };
    // check() reads refs and stable deps only, so the watcher is not re-created on every render.
  }, [ex?.id, file, watchEnabled, debounceMs]);

  useInput((input, key) => {
    const ex = list.find((e) => e.id === getOpenId());
    const cursor = getCursor();
    if (!ex) {
      if (input === "q" || key.escape) {
        onBack();
        return;
      }
      if (key.upArrow) {
        setCursor((c) => (c + list.length - 1) % Math.max(1, list.length));
        return;
      }
      if (key.downArrow) {
        setCursor((c) => (c + 1) % Math.max(1, list.length));
        return;
      }
      if (key.return && list[cursor]) open(list[cursor]!);
      return;
    }
    if (input === "q" || key.escape) {
      onBack();
      return;
    }
    if (input === "l") {
      run.current++;
      setOpenId(undefined);
      setChecking(false);
      setNotice(undefined);
      return;
    }
    if (input === "h") {
      const shown = store.data.exercises[ex.id]?.hintsShown ?? 0;
      if (shown >= ex.hints.length) {
        setNotice(ex.hints.length === 0 ? "This exercise has no hints." : "No more hints.");
        return;
      }
      store.setHintsShown(ex.id, shown + 1);
      setNotice(undefined);
      setVersion((v) => v + 1);
      return;
    }
    if (input === "n") {
      const i = list.findIndex((e) => e.id === ex.id);
      const nextEx = list[(i + 1) % list.length];
      if (nextEx && nextEx.id !== ex.id) {
        setCursor((i + 1) % list.length);
        open(nextEx);
      }
      return;
    }
    if (input === "x") {
      const out = resetExercise(workdir, ex, now());
      setNotice(out.backup ? `Reset to the starter; your version is saved at ${out.backup}` : "Reset to the starter.");
      check(ex);
      return;
    }
    if (input === "c") check(ex);
  });

  if (!ex) {
    const passed = list.filter((e) => store.data.exercises[e.id]?.status === "passed").length;
    const win = listWindow(list.length, cursor, rows - 9);
    return (
      <Box flexDirection="column">
        <Header title="Exercises" />
        <ProgressBar value={passed} total={list.length} label={`${passed}/${list.length} passed`} />
        {list.length === 0 ? <Text color={theme.warn}>No exercises in the bank.</Text> : null}
        {win.start > 0 ? <Text color={theme.muted}>  ↑ {win.start} more</Text> : null}
        {list.slice(win.start, win.end).map((e, j) => {
          const i = win.start + j;
          const st = store.data.exercises[e.id]?.status;
          return <MenuLine key={e.id} selected={i === cursor} truncate text={`${statusOf(st)}  ${e.title}`} suffix={`${e.kind.toUpperCase()} · ${topicTitle(e.concept)} · ${e.difficulty}`} />;
        })}
        {win.end < list.length ? <Text color={theme.muted}>  ↓ {list.length - win.end} more</Text> : null}
        {notice ? <Text color={theme.warn}>{notice}</Text> : null}
        <Footer keys={[["↑↓", "move"], ["enter", "open"], ["q", "back"]]} />
      </Box>
    );
  }

  const prog = store.data.exercises[ex.id];
  const hints = ex.hints.slice(0, prog?.hintsShown ?? 0);
  // Fit the screen: grader messages one line each, the statement gets the rows that are left.
  const messages = result && !checking ? result.messages.slice(0, 8) : [];
  const height = (line: string) => Math.max(1, Math.ceil([...line].length / Math.max(20, cols)));
  const fixed = 12 + (notice ? height(notice) : 0) + hints.reduce((n, h) => n + height(h) + 1, 0) + (result?.passed ? 1 : 0) + (result && result.messages.length > messages.length ? 1 : 0);
  let budget = Math.max(3, rows - fixed - messages.length);
  const lines = plain(ex.statement).split("\n").filter((l) => l.trim() !== "");
  const statement: string[] = [];
  for (const l of lines) {
    if (height(l) > budget) break;
    statement.push(l);
    budget -= height(l);
  }
  return (
    <Box flexDirection="column">
      <Header title={`Exercise · ${ex.title}`} right={`${ex.kind.toUpperCase()} · ${ex.difficulty}`} />
      <Box flexDirection="column">
        {statement.map((l, i) => (
          <Text key={i}>{l}</Text>
        ))}
        {statement.length < lines.length ? <Text color={theme.muted}>… (the full statement is in README.md next to the file)</Text> : null}
      </Box>
      <Box marginTop={1}>
        <Text>
          Edit: <Text bold>{file}</Text>
          <Text color={theme.muted}>{watchEnabled ? "  (re-checked on save)" : ""}</Text>
        </Text>
      </Box>
      <Box flexDirection="column" marginTop={1}>
        {checking ? <Text color={theme.muted}>Checking…</Text> : null}
        {!checking && result ? (
          <>
            <Text bold color={result.passed ? theme.good : theme.bad}>
              {result.passed ? "✓ All checks pass" : `✗ Not passing yet (${Math.round(result.score * 100)}%)`}
              <Text color={theme.muted}>{`  ${result.durationMs} ms · attempt ${prog?.attempts ?? 0}`}</Text>
            </Text>
            {messages.map((m, i) => (
              <Text key={i} wrap="truncate-end">
                {"  "}
                {m}
              </Text>
            ))}
            {result.messages.length > messages.length ? <Text color={theme.muted}>  … {result.messages.length - messages.length} more (c360-quiz exercise check {ex.id})</Text> : null}
            {result.passed ? <Text color={theme.good}>Well done — press n for the next exercise.</Text> : null}
          </>
        ) : null}
      </Box>
      {hints.map((h, i) => (
        <Text key={i} color={theme.warn}>
          Hint {i + 1}/{ex.hints.length}: {h}
        </Text>
      ))}
      {notice ? <Text color={theme.warn}>{notice}</Text> : null}
      <Footer keys={[["h", "hint"], ["n", "next"], ["l", "list"], ["x", "reset"], ["c", "check"], ["q", "quit"]]} />
    </Box>
  );
}
