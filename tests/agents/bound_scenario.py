"""A process making model calls at once, for the cross-process bound tests.

    python -m tests.agents.bound_scenario --calls N

The model, its server and the database come from the environment (CLARION_LLM,
CLARION_LLM_BASE_URL, CLARION_HOME or DATABASE_URL). Prints ``{"done": N}``.
"""

from __future__ import annotations

import argparse
import json
import threading


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=6)
    args = parser.parse_args()

    from clarion import bootstrap

    bootstrap.ensure_database()
    from pydantic_ai import Agent

    from clarion.agents import llm
    from clarion.agents.runtime import model_loop

    model = llm.get_model(llm.choose_model())
    agent: Agent[None, str] = Agent(output_type=str)
    done: list[str] = []

    def call(n: int) -> None:
        result = model_loop.run(agent.run(f"Say hello number {n}", model=model))
        done.append(result.output)

    threads = [threading.Thread(target=call, args=(n,)) for n in range(args.calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps({"done": len(done)}))


if __name__ == "__main__":
    main()
