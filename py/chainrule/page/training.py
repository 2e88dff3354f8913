"""The Train panel: its form, training in chunks on a timer, the plots, Inspect."""

import js

from ..core.expr import MAX_SOURCE_CHARS
from ..train.form import FormError, for_dataset, read_config, read_sample, rebuilds
from ..train.plots import boundary_svg, fit_svg, loss_svg
from ..train.runs import TrainingRun, stop_reason, summary
from ..train.trainer import TrainConfig, Trainer
from .dom import by_testid


class Training:

    FIELDS = ("dataset", "shape", "activation", "loss", "learning_rate", "decay", "batch_size")

    def __init__(self, page):
        self.page = page
        self.panel = by_testid("train-panel")
        self.form = by_testid("train-form")
        self.button = by_testid("train")
        self.config = TrainConfig()
        self.run = TrainingRun(Trainer(self.config), js.performance.now)
        self.timer = None
        self.form_error = ""  # why the form's settings cannot train, or ""
        self.next_chunk = page.guard.keep(lambda: self.on_chunk(), self.failed)

    def failed(self, message):
        """A failure in the panel (the guard's report): training stops, the line says so."""
        self.pause()
        self.show_error(None, message)

    def start(self):
        def listen(element, event, handler):  # a failure in the panel stops training
            self.page.guard.listen(element, event, handler, self.failed)

        listen(self.form, "change", self.on_change)
        listen(self.form, "input", self.on_typed)
        listen(self.form, "keydown", self.on_form_key)
        listen(self.form, "submit", lambda e: e.preventDefault())
        listen(self.button, "click", lambda e: self.pause() if self.run.running else self.play())
        listen(by_testid("train-step"), "click", lambda e: self.one_step())
        listen(by_testid("train-reset"), "click", lambda e: self.reset())
        listen(by_testid("train-inspect"), "click", lambda e: self.inspect())
        listen(by_testid("train-sample"), "keydown", lambda e: e.key == "Enter" and self.inspect())
        listen(self.panel, "toggle", lambda e: self.show(force=True))

    # the form ------------------------------------------------------------------

    def element(self, name):
        return self.form.elements.namedItem(name)

    def fields(self):
        return {name: (self.element(name).checked if name == "decay" else self.element(name).value)
                for name in self.FIELDS}

    def on_form_key(self, event):
        if event.key == "Enter" and event.target.tagName == "INPUT":
            event.preventDefault()
            self.apply(self.fields())

    def on_typed(self, event):
        """A field typed in: its settings apply (or are refused) as they are typed."""
        if event.target.tagName == "INPUT" and event.target.type != "checkbox":
            self.apply(self.fields())

    def on_change(self, event):
        fields = self.fields()
        if event.target.name == "dataset":
            fields = for_dataset(fields, fields["dataset"])
            for name in ("shape", "loss", "learning_rate"):
                self.element(name).value = fields[name]
        self.apply(fields)

    def apply(self, fields):
        """A valid form becomes the config (a new network if its shape or data changed);
        a bad one is reported and changes nothing, training included."""
        try:
            config = read_config(fields, self.config)
        except FormError as error:
            self.pause()
            self.show_error(error.field, error.message)
            self.show_ready(error.message)
            return
        self.show_ready("")
        self.show_error(None, stop_reason(self.run.trainer))
        if config == self.config:
            return
        if rebuilds(self.config, config):
            self.pause()
            self.run = TrainingRun(Trainer(config), js.performance.now)
            by_testid("train-sample").max = str(len(self.run.trainer.data) - 1)
        else:
            self.run.trainer.config = config
        self.config = config
        self.show(force=True)

    def show_ready(self, form_error):
        """Train and One step work only with valid settings; the reason is their tooltip."""
        if form_error == self.form_error:
            return
        self.form_error = form_error
        for testid in ("train", "train-step"):
            button = by_testid(testid)
            button.disabled = bool(form_error)
            if form_error:
                button.title = form_error
            else:
                button.removeAttribute("title")

    def show_error(self, field, message):
        box = by_testid("train-error")
        box.textContent = message
        box.hidden = not message
        for name in self.FIELDS:
            if name == field:
                self.element(name).setAttribute("aria-invalid", "true")
            else:
                self.element(name).removeAttribute("aria-invalid")

    # training ------------------------------------------------------------------

    def play(self):
        if self.run.at_limit:
            self.page.messages.toast("Training stops here: reset the weights to train again")
            return
        if self.stopped():
            return
        self.run.running = True
        self.button.dataset.training = "true"
        self.button.textContent = "⏸ Pause"
        self.schedule()

    def schedule(self):
        # A task per chunk: the browser handles input and paints between two of them.
        self.timer = js.setTimeout(self.next_chunk, 0)

    def on_chunk(self):
        self.timer = None
        if not self.run.running:
            return
        task = self.run.next_task(plots_seen=self.panel.open)
        if task == "boundary":
            self.show_boundary()
        elif task == "loss":
            self.show_loss()
        else:
            self.run.chunk()
            if not self.run.running:  # the step limit, or the loss diverged
                self.pause()
                self.show(force=True)  # the run stopped itself: pause() saw no run
                self.stopped()
                return
            self.show_numbers()
        self.schedule()

    def pause(self):
        if self.timer is not None:
            js.clearTimeout(self.timer)
            self.timer = None
        was_running = self.run.running
        self.run.running = False
        self.button.dataset.training = "false"
        self.button.textContent = "▶ Train"
        if was_running:
            self.show(force=True)

    def stopped(self):
        """True (and the reason in the error line) if the loss diverged."""
        reason = stop_reason(self.run.trainer)
        if reason:
            self.show_error("learning_rate", reason)
        return bool(reason)

    def one_step(self):
        self.pause()
        if not self.stopped():
            self.run.step()
            self.stopped()
        self.show(force=True)

    def reset(self):
        self.pause()
        self.run.trainer.reset_weights()
        self.show_error(None, "")
        self.show(force=True)

    def show(self, force=False):
        """The numbers, and the pictures if they are seen (`force`: at once)."""
        self.show_numbers()
        if self.panel.open:
            if self.run.due("loss", force):
                self.show_loss()
            if self.run.due("boundary", force):
                self.show_boundary()

    def show_numbers(self):
        for testid, text in summary(self.run.trainer).items():
            by_testid(testid).textContent = text
        rate = by_testid("train-rate")
        rate.textContent = self.run.rate_text()
        rate.dataset.stepMs = repr(self.run.step_ms)  # for bench/train.py

    def show_loss(self):
        trainer = self.run.trainer
        by_testid("loss-plot").innerHTML = loss_svg(
            trainer.history, "accuracy" if trainer.classification else "within 0.1")

    def show_boundary(self):
        trainer = self.run.trainer
        flat = not trainer.classification
        by_testid("boundary-plot").hidden = flat
        by_testid("fit-plot").hidden = not flat
        picture = fit_svg if flat else boundary_svg
        by_testid("fit-plot" if flat else "boundary-plot").innerHTML = picture(
            trainer.predict_many, trainer.data)

    # inspect -------------------------------------------------------------------

    def inspect(self):
        trainer = self.run.trainer
        field = by_testid("train-sample")
        try:
            index = read_sample(field.value, len(trainer.data))
        except FormError as error:
            self.show_error(None, error.message)
            field.setAttribute("aria-invalid", "true")
            return
        field.removeAttribute("aria-invalid")
        self.show_error(None, "")
        self.pause()
        source = trainer.sample_source(index)
        if len(source) > MAX_SOURCE_CHARS:
            self.show_error(None, "This network is too big to inspect in the editor: "
                                  "try fewer or narrower hidden layers.")
            return
        self.page.program.use_text(source)  # from no example: Reset text goes to the default
