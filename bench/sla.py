"""SLA workflow cost: billed state transitions per ticket, counted from real execution histories.

Runs the real `infra/statemachines/sla.asl.json` on moto's executor (in process) with deadlines a
few seconds away, for two tickets: one acknowledged and resolved on time (the API stops its run at
resolution), one nobody touches (breached on both clocks). Standard workflows bill each state
transition; we count `*StateEntered` events in the history, which is what AWS bills.
Prints figures; asserts nothing. Takes ~10 s of wall time (the Wait states really wait).
"""

from __future__ import annotations

import os
import time
from datetime import timedelta

from offline import prepare  # bench/offline.py: the path and offline AWS settings

ROOT = prepare(
    {
        "TZ": "UTC",
    }
)
time.tzset()

PRICE_PER_1000_TRANSITIONS = 0.025  # USD, Standard workflows (us-east-1)


def main() -> None:
    import boto3
    from moto import mock_aws

    from chalicelib import aws, settings
    from chalicelib.care import workflow
    from chalicelib.clock import utcnow
    from chalicelib.store.table import serialize, values
    from local.provision import provision

    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
        resources = provision(boto3)
        os.environ.update(resources.environment())
        aws.reset()
        settings.get_settings.cache_clear()
        sfn = boto3.client("stepfunctions")

        def open_ticket(ticket_id: str, offsets: tuple[int, int, int, int]) -> str:
            key = {"pk": f"TICKET#{ticket_id}", "sk": "TICKET"}
            item = {
                **key,
                "status": "open",
                "sla": {"ack": "pending", "resolve": "pending"},
                "version": 1,
                "history": [],
            }
            aws.dynamodb().put_item(TableName=resources.table_name, Item=serialize(item))
            now = utcnow()
            deadlines = workflow.Deadlines(*(now + timedelta(seconds=s) for s in offsets))
            payload = workflow.execution_input(
                ticket_id=ticket_id,
                key=key,
                deadlines=deadlines,
                team="social",
                assignee=None,
                priority="normal",
                platform="telegram",
            )
            return str(workflow.start(workflow.execution_name(ticket_id), payload))

        def acknowledge(ticket_id: str) -> None:
            aws.dynamodb().update_item(
                TableName=resources.table_name,
                Key=serialize({"pk": f"TICKET#{ticket_id}", "sk": "TICKET"}),
                UpdateExpression="SET #s = :s, sla.ack = :met",
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues=values({":s": "acknowledged", ":met": "met"}),
            )

        def wait_done(arn: str) -> str:
            for _ in range(100):
                status = sfn.describe_execution(executionArn=arn)["status"]
                if status != "RUNNING":
                    return status
                time.sleep(0.2)
            return "RUNNING"

        def transitions(arn: str) -> int:
            history = sfn.get_execution_history(executionArn=arn, maxResults=1000)["events"]
            return sum(1 for event in history if event["type"].endswith("StateEntered"))

        on_time = open_ticket("T-ontime", (2, 20, 40, 60))
        breached = open_ticket("T-late", (1, 2, 3, 4))
        acknowledge("T-ontime")  # before the warning time
        time.sleep(3)  # the run passes its ack warning, finds nothing to mark, moves on
        workflow.stop(on_time, "resolved")  # resolved on time: the API stops the run
        wait_done(on_time)
        wait_done(breached)
        counts = {
            "resolved on time": transitions(on_time),
            "breached on both": transitions(breached),
        }

    print("SLA workflow: billed state transitions per ticket (from execution histories)")
    for case, value in counts.items():
        cost = value * 1000 * PRICE_PER_1000_TRANSITIONS / 1000
        print(f"  {case:18} {value:2d} transitions   ${cost:.3f} per 1,000 tickets")
    print(f"  (price: ${PRICE_PER_1000_TRANSITIONS} per 1,000 transitions, Standard workflows)")


if __name__ == "__main__":
    main()
