/** The TUI root: provides the dependencies and switches between screens. */
import { useState } from "react";
import { DepsContext, type ScreenName, type TuiDeps } from "./context.js";
import { ExercisesScreen } from "./exercises.js";
import { FlashcardsScreen } from "./flashcards.js";
import { HomeScreen } from "./home.js";
import { MockScreen } from "./mock.js";
import { PracticeScreen } from "./practice.js";
import { StatsScreen } from "./stats.js";

export function App({ deps, initial = "home" }: { deps: TuiDeps; initial?: ScreenName }) {
  const [screen, setScreen] = useState<ScreenName>(initial);
  const home = () => setScreen("home");
  return (
    <DepsContext.Provider value={deps}>
      {screen === "home" ? <HomeScreen onSelect={setScreen} notices={deps.store.notices} /> : null}
      {screen === "practice" ? <PracticeScreen onBack={home} /> : null}
      {screen === "mock" ? <MockScreen onBack={home} /> : null}
      {screen === "flashcards" ? <FlashcardsScreen onBack={home} /> : null}
      {screen === "exercises" ? <ExercisesScreen onBack={home} /> : null}
      {screen === "stats" ? <StatsScreen onBack={home} /> : null}
    </DepsContext.Provider>
  );
}
