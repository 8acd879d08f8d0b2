import { provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';
import { type ApplicationConfig, provideBrowserGlobalErrorListeners, provideZonelessChangeDetection } from '@angular/core';
import { TitleStrategy, provideRouter, withComponentInputBinding, withInMemoryScrolling } from '@angular/router';
import { provideNzConfig } from 'ng-zorro-antd/core/config';
import { provideNzI18n, zh_CN } from 'ng-zorro-antd/i18n';
import { routes } from './app.routes';
import { authInterceptor } from './core/auth/auth.interceptor';
import { PageTitleStrategy } from './core/layout/page-title.strategy';
import { provideWallClockDateHelper } from './core/i18n/wall-clock-date-helper';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideZonelessChangeDetection(),
    provideRouter(routes, withComponentInputBinding(), withInMemoryScrolling({ scrollPositionRestoration: 'top' })),
    { provide: TitleStrategy, useClass: PageTitleStrategy },
    provideHttpClient(withFetch(), withInterceptors([authInterceptor])),
    // NG-ZORRO 21 animates with CSS, without @angular/animations; its locale starts in Chinese and follows the switch.
    provideNzI18n(zh_CN),
    // Typed dates are read as the wall clock they name (the default read `yyyy-MM-dd` as UTC).
    provideWallClockDateHelper(),
    provideNzConfig({ table: { nzSize: 'middle' }, message: { nzDuration: 4000 } }),
  ],
};
