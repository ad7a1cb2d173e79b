# nbconvert configuration for running the c360-lab notebooks headless with the tslab kernel.
#
#   jupyter nbconvert --config scripts/notebooks/nbconvert_config.py --to notebook --execute \
#     --allow-errors --ExecutePreprocessor.kernel_name=tslab --output-dir <dir> notebooks/*.ipynb
#
# Why a hook: tslab sends no execute_input message, so nbclient never learns a cell's execution
# count, and tslab reports a failed cell only as stderr text (nbconvert then prints "<Error>:").
# The hook copies the count and the status from each cell's execute_reply into the executed
# notebook, so a checker can tell "ran", "failed" and "skipped" apart, and find the real error
# text in the cell's stderr output.
c = get_config()  # noqa: F821  (injected by traitlets when it loads this file)


def _record_reply(cell, cell_index, execute_reply):
    content = execute_reply.get("content", {}) if execute_reply else {}
    status = content.get("status", "unknown")
    count = content.get("execution_count")
    if count is not None:
        cell["execution_count"] = count
    cell.setdefault("metadata", {})["c360"] = {"status": status}


c.ExecutePreprocessor.on_cell_executed = _record_reply
