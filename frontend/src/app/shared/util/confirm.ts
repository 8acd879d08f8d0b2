import { Injectable, Injector, inject } from '@angular/core';
import { I18n } from '../../core/i18n/i18n.service';

/**
 * Asks in an Ant confirmation dialog (never the browser's `confirm()`), in the portal's language.
 * The dialog code loads the first time it is needed, so pages that only sometimes ask (the exam room on a
 * phone) stay light. The OK button carries `data-testid="confirm-ok"`, cancel `confirm-cancel`.
 */
@Injectable({ providedIn: 'root' })
export class Confirm {
  private readonly injector = inject(Injector);
  private readonly i18n = inject(I18n);

  async ask(question: string, options: { danger?: boolean } = {}): Promise<boolean> {
    const { NzModalService } = await import('ng-zorro-antd/modal');
    const modals = Injector.create({ providers: [{ provide: NzModalService, deps: [] }], parent: this.injector }).get(NzModalService);
    const t = this.i18n.t;
    return new Promise<boolean>((resolve) => {
      let answer = false;
      const ref = modals.confirm({
        nzTitle: question,
        nzOkText: t('dialog.ok'),
        nzCancelText: t('dialog.cancel'),
        nzOkDanger: options.danger ?? false,
        nzClassName: 'app-confirm',
        nzAutofocus: 'ok',
        nzOnOk: () => {
          answer = true;
        },
      });
      ref.afterOpen.subscribe(() => {
        const buttons = document.querySelectorAll<HTMLButtonElement>('.app-confirm .ant-modal-confirm-btns button');
        buttons[0]?.setAttribute('data-testid', 'confirm-cancel');
        buttons[buttons.length - 1]?.setAttribute('data-testid', 'confirm-ok');
      });
      ref.afterClose.subscribe(() => resolve(answer));
    });
  }
}
